;; wat_edges.wat: WASI calls C cannot aim precisely: buffers that end exactly at,
;; or one byte past, the end of linear memory; lengths that wrap around 4 GiB;
;; memory grown during the run; fd_renumber edge cases (onto itself, onto and
;; from unused numbers, moving stderr and a preopen). Each check prints
;; "ok   MESSAGE" or "FAIL MESSAGE"; the exit status is 1 if any failed.
;; Needs one preopened directory (fd 3).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  ;; 0..63: scratch for iovecs and results. 512..575: number formatting.
  ;; 1024..: fixed strings. 2048 + 64*k: the NUL-terminated message of check k.
  (data (i32.const 1024) "ok   ")
  (data (i32.const 1032) "FAIL ")
  (data (i32.const 1040) "\n")
  (data (i32.const 1048) " checks, ")
  (data (i32.const 1064) " failed\n")
  (data (i32.const 2048) "fd_write 6 bytes ending exactly at the memory end -> SUCCESS\00")
  (data (i32.const 2112) "fd_write a buffer 1 byte past the memory end -> FAULT\00")
  (data (i32.const 2176) "fd_write an iovec array past the memory end -> FAULT\00")
  (data (i32.const 2240) "fd_write an iovec of length 0xffffffff -> FAULT\00")
  (data (i32.const 2304) "fd_write 0x10000000 iovecs -> FAULT\00")
  (data (i32.const 2368) "clock_time_get into the last 8 bytes -> SUCCESS\00")
  (data (i32.const 2432) "clock_time_get straddling the memory end -> FAULT\00")
  (data (i32.const 2496) "random_get wrapping around 4 GiB -> FAULT\00")
  (data (i32.const 2560) "random_get the last 16 bytes -> SUCCESS\00")
  (data (i32.const 2624) "random_get 17 bytes from 16 before the end -> FAULT\00")
  (data (i32.const 2688) "random_get in newly grown memory -> SUCCESS\00")
  (data (i32.const 2752) "clock_time_get straddling the new end -> FAULT\00")
  (data (i32.const 2816) "fd_renumber stdout onto itself -> SUCCESS\00")
  (data (i32.const 2880) "fd_renumber stderr onto an unused fd -> BADF\00")
  (data (i32.const 2944) "fd_renumber from an unused fd -> BADF\00")
  (data (i32.const 3008) "fd_renumber stderr onto stdin -> SUCCESS\00")
  (data (i32.const 3072) "fd_write to the vacated fd 2 -> BADF\00")
  (data (i32.const 3136) "fd_fdstat_get fd 0 (the old stderr) -> SUCCESS\00")
  (data (i32.const 3200) "path_open a path running past the memory end -> FAULT\00")
  (data (i32.const 3264) "args_sizes_get result at the last byte -> FAULT\00")
  (data (i32.const 3328) "fd_renumber the preopen onto fd 0 -> SUCCESS\00")
  (data (i32.const 3392) "fd_prestat_get on the preopen's old number -> BADF\00")
  (data (i32.const 3456) "fd_prestat_get on its new number -> SUCCESS\00")
  (data (i32.const 3520) "fd_write 0 iovecs -> SUCCESS\00")
  (data (i32.const 65530) "edge!\n")

  (global $checks (mut i32) (i32.const 0))
  (global $failed (mut i32) (i32.const 0))

  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $strlen (param $ptr i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $ptr) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  (func $print_u32 (param $v i32)
    (local $p i32)
    (local.set $p (i32.const 575))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digit (local.get $v)))
    (call $print (local.get $p) (i32.sub (i32.const 575) (local.get $p))))

  ;; Check k passes when the call returned the wanted errno.
  (func $expect (param $got i32) (param $want i32) (param $k i32)
    (local $msg i32)
    (global.set $checks (i32.add (global.get $checks) (i32.const 1)))
    (if (i32.eq (local.get $got) (local.get $want))
      (then (call $print (i32.const 1024) (i32.const 5)))
      (else
        (global.set $failed (i32.add (global.get $failed) (i32.const 1)))
        (call $print (i32.const 1032) (i32.const 5))))
    (local.set $msg (i32.add (i32.const 2048) (i32.mul (local.get $k) (i32.const 64))))
    (call $print (local.get $msg) (call $strlen (local.get $msg)))
    (call $print (i32.const 1040) (i32.const 1)))

  (func $iovec (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len)))

  (func (export "_start")
    ;; Buffers at the end of the single 64 KiB page.
    (call $iovec (i32.const 65530) (i32.const 6))
    (call $expect (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)) (i32.const 0) (i32.const 0))
    (call $iovec (i32.const 65530) (i32.const 7))
    (call $expect (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)) (i32.const 21) (i32.const 1))
    (call $expect (call $fd_write (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 24)) (i32.const 21) (i32.const 2))
    (call $iovec (i32.const 0) (i32.const -1))
    (call $expect (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)) (i32.const 21) (i32.const 3))
    (call $expect (call $fd_write (i32.const 1) (i32.const 16) (i32.const 0x10000000) (i32.const 24)) (i32.const 21) (i32.const 4))
    (call $expect (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 65528)) (i32.const 0) (i32.const 5))
    (call $expect (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 65532)) (i32.const 21) (i32.const 6))
    (call $expect (call $random_get (i32.const 0xfffffff0) (i32.const 32)) (i32.const 21) (i32.const 7))
    (call $expect (call $random_get (i32.const 65520) (i32.const 16)) (i32.const 0) (i32.const 8))
    (call $expect (call $random_get (i32.const 65520) (i32.const 17)) (i32.const 21) (i32.const 9))
    (call $expect (call $fd_write (i32.const 1) (i32.const 16) (i32.const 0) (i32.const 24)) (i32.const 0) (i32.const 23))
    (call $expect
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 65530) (i32.const 10) (i32.const 0)
        (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 32))
      (i32.const 21) (i32.const 18))

    ;; Grow by one page: the host must see the new end, not a stale one.
    (drop (memory.grow (i32.const 1)))
    (call $expect (call $random_get (i32.const 65636) (i32.const 100)) (i32.const 0) (i32.const 10))
    (call $expect (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 131068)) (i32.const 21) (i32.const 11))
    (call $expect (call $args_sizes_get (i32.const 131071) (i32.const 40)) (i32.const 21) (i32.const 19))

    ;; fd_renumber edge cases.
    (call $expect (call $fd_renumber (i32.const 1) (i32.const 1)) (i32.const 0) (i32.const 12))
    (call $expect (call $fd_renumber (i32.const 2) (i32.const 50)) (i32.const 8) (i32.const 13))
    (call $expect (call $fd_renumber (i32.const 50) (i32.const 2)) (i32.const 8) (i32.const 14))
    (call $expect (call $fd_renumber (i32.const 2) (i32.const 0)) (i32.const 0) (i32.const 15))
    (call $iovec (i32.const 1040) (i32.const 1))
    (call $expect (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 24)) (i32.const 8) (i32.const 16))
    (call $expect (call $fd_fdstat_get (i32.const 0) (i32.const 32)) (i32.const 0) (i32.const 17))
    (call $expect (call $fd_renumber (i32.const 3) (i32.const 0)) (i32.const 0) (i32.const 20))
    (call $expect (call $fd_prestat_get (i32.const 3) (i32.const 32)) (i32.const 8) (i32.const 21))
    (call $expect (call $fd_prestat_get (i32.const 0) (i32.const 32)) (i32.const 0) (i32.const 22))

    (call $print_u32 (global.get $checks))
    (call $print (i32.const 1048) (i32.const 9))
    (call $print_u32 (global.get $failed))
    (call $print (i32.const 1064) (i32.const 8))
    (call $proc_exit (i32.ne (global.get $failed) (i32.const 0)))))
