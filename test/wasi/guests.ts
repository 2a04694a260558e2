// Small WAT guests shared by the WASI tests.

/** Writes "hi <argv[1]>\n" and exits with code 3 (or returns when there is no argv[1]). */
export const HELLO = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hi ")
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $argc i32) (local $arg i32) (local $end i32)
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (if (i32.lt_u (i32.load (i32.const 16)) (i32.const 2)) (then (return)))
    (drop (call $args_get (i32.const 200) (i32.const 300)))
    (local.set $arg (i32.load (i32.const 204)))
    (local.set $end (local.get $arg))
    (block $done (loop $scan
      (br_if $done (i32.eqz (i32.load8_u (local.get $end))))
      (local.set $end (i32.add (local.get $end) (i32.const 1)))
      (br $scan)))
    (i32.store8 (local.get $end) (i32.const 10))
    (call $write (i32.const 100) (i32.const 3))
    (call $write (local.get $arg) (i32.add (i32.sub (local.get $end) (local.get $arg)) (i32.const 1)))
    (call $proc_exit (i32.const 3))))`;

/** Copies stdin to stdout until the end of input. */
export const ECHO = `(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $more
      (i32.store (i32.const 0) (i32.const 1024))
      (i32.store (i32.const 4) (i32.const 4096))
      (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)) (then unreachable))
      (if (i32.eqz (i32.load (i32.const 8))) (then (return)))
      (i32.store (i32.const 4) (i32.load (i32.const 8)))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
      (br $more))))`;
