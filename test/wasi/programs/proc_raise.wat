;; proc_raise.wat: WASI proc_raise. Signals are not part of the nanoprocess
;; model: raising one must neither kill the host nor the guest. Like Wasmtime,
;; the call reports NOTSUP (NOSYS is accepted too) and the program goes on.
(module
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "ok   proc_raise(ABRT) -> NOTSUP|NOSYS\n")
  (data (i32.const 200) "FAIL proc_raise(ABRT) -> NOTSUP|NOSYS\n")
  (data (i32.const 300) "ok   proc_raise(INT) -> NOTSUP|NOSYS\n")
  (data (i32.const 400) "FAIL proc_raise(INT) -> NOTSUP|NOSYS\n")
  (data (i32.const 500) "still running after proc_raise\n")
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; 58 is NOTSUP, 52 is NOSYS.
  (func $unsupported (param $errno i32) (result i32)
    (i32.or (i32.eq (local.get $errno) (i32.const 58)) (i32.eq (local.get $errno) (i32.const 52))))
  (func (export "_start")
    (local $ok i32)
    (local.set $ok (i32.const 1))
    ;; 6 is SIGABRT, 2 is SIGINT in WASI's signal numbering.
    (if (call $unsupported (call $proc_raise (i32.const 6)))
      (then (call $print (i32.const 100) (i32.const 38)))
      (else (call $print (i32.const 200) (i32.const 38)) (local.set $ok (i32.const 0))))
    (if (call $unsupported (call $proc_raise (i32.const 2)))
      (then (call $print (i32.const 300) (i32.const 37)))
      (else (call $print (i32.const 400) (i32.const 37)) (local.set $ok (i32.const 0))))
    (call $print (i32.const 500) (i32.const 31))
    (call $proc_exit (i32.eqz (local.get $ok)))))
