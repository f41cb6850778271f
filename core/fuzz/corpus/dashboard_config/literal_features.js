sys_eventProviders = [ { a: "\uD83D\uDE00 \u{10FFFF} \x7f \
 cont", b: 0b101, c: -.5e-3, d: undefined, e: [[[{}]]] } ];
