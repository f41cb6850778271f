'use strict';
// sys_eventProviders = [ { type: "SSE" } ];
var t = `tpl ${ { a: `in ${1} sys_eventProviders = [` }.a } done`;
var re = /sys_eventProviders = \[/g, half = 4 / 2 / 1, q = /["'`]/;
if (typeof sys_eventProviders == "undefined") f(sys_eventProviders => 1);
window.sys_eventProviders /* c */ = [ { type: "SSE", url: "http://localhost:9001/a", interval: 1.5e3, }, ];
