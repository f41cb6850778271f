// The translation unit the shared test precompiled headers are built with (an object library needs
// a source); it defines nothing.
