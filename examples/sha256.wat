;; SHA-256 (FIPS 180-4) in WebAssembly text, as a streaming hash:
;;
;;   init()            start a new message
;;   update(len)       hash `len` bytes (at most 65536) written at address `input`
;;   final() -> ptr    finish; the 32-byte digest is at `ptr`
;;
;; The host writes each chunk of its message into memory at `input` and calls update;
;; examples/sha256.js does exactly that for files of any size. Build and run it:
;;
;;   npx nanoprocess parse examples/sha256.wat -o examples/sha256.wasm
;;   node examples/sha256.js examples/sha256.wasm README.md
;;
;; Memory layout (page 0 is ours, page 1 is the host's input buffer):
;;   0     K, the 64 round constants (little-endian words, loaded as they are)
;;   256   H, the hash state: 8 words
;;   288   the pending block: 64 bytes
;;   352   W, the message schedule: 64 words
;;   608   the digest: 32 bytes, big-endian
;;   65536 input: 65536 bytes

(module $sha256
  (memory (export "memory") 2 2)

  (global $input (export "input") i32 (i32.const 65536))
  (global $input_size (export "input_size") i32 (i32.const 65536))

  (global $K i32 (i32.const 0))
  (global $H i32 (i32.const 256))
  (global $block i32 (i32.const 288))
  (global $W i32 (i32.const 352))
  (global $digest i32 (i32.const 608))

  ;; Bytes of the message hashed so far, and how many of them wait in the pending block.
  (global $length (mut i64) (i64.const 0))
  (global $pending (mut i32) (i32.const 0))

  ;; The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
  (data (i32.const 0)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")

  ;; Byte swap: SHA-256 reads and writes its words big-endian, memory is little-endian.
  (func $bswap (param $x i32) (result i32)
    (i32.or
      (i32.and (i32.rotl (local.get $x) (i32.const 8)) (i32.const 0x00ff_00ff))
      (i32.and (i32.rotr (local.get $x) (i32.const 8)) (i32.const 0xff00_ff00))))

  (func $init (export "init")
    (i32.store offset=0 (global.get $H) (i32.const 0x6a09e667))
    (i32.store offset=4 (global.get $H) (i32.const 0xbb67ae85))
    (i32.store offset=8 (global.get $H) (i32.const 0x3c6ef372))
    (i32.store offset=12 (global.get $H) (i32.const 0xa54ff53a))
    (i32.store offset=16 (global.get $H) (i32.const 0x510e527f))
    (i32.store offset=20 (global.get $H) (i32.const 0x9b05688c))
    (i32.store offset=24 (global.get $H) (i32.const 0x1f83d9ab))
    (i32.store offset=28 (global.get $H) (i32.const 0x5be0cd19))
    (global.set $length (i64.const 0))
    (global.set $pending (i32.const 0)))

  ;; One round of the compression function on the 64-byte block at $p (FIPS 180-4 §6.2.2).
  (func $compress (param $p i32)
    (local $t i32) (local $w i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $t1 i32) (local $t2 i32)

    ;; W[0..15]: the block's words, big-endian.
    (local.set $t (i32.const 0))
    (loop $copy
      (i32.store
        (i32.add (global.get $W) (local.get $t))
        (call $bswap (i32.load (i32.add (local.get $p) (local.get $t)))))
      (br_if $copy (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (i32.const 64))))

    ;; W[16..63] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]; $w addresses W[t].
    (local.set $w (i32.add (global.get $W) (i32.const 64)))
    (loop $expand
      (local.set $t1 (i32.load offset=56 (i32.sub (local.get $w) (i32.const 64))))  ;; W[t-2]
      (local.set $t2 (i32.load offset=4 (i32.sub (local.get $w) (i32.const 64))))   ;; W[t-15]
      (i32.store (local.get $w)
        (i32.add
          (i32.add
            (i32.xor
              (i32.xor (i32.rotr (local.get $t1) (i32.const 17)) (i32.rotr (local.get $t1) (i32.const 19)))
              (i32.shr_u (local.get $t1) (i32.const 10)))
            (i32.load offset=36 (i32.sub (local.get $w) (i32.const 64))))            ;; W[t-7]
          (i32.add
            (i32.xor
              (i32.xor (i32.rotr (local.get $t2) (i32.const 7)) (i32.rotr (local.get $t2) (i32.const 18)))
              (i32.shr_u (local.get $t2) (i32.const 3)))
            (i32.load (i32.sub (local.get $w) (i32.const 64))))))                    ;; W[t-16]
      (local.set $w (i32.add (local.get $w) (i32.const 4)))
      (br_if $expand (i32.lt_u (local.get $w) (i32.add (global.get $W) (i32.const 256)))))

    global.get $H  i32.load offset=0   local.set $a
    global.get $H  i32.load offset=4   local.set $b
    global.get $H  i32.load offset=8   local.set $c
    global.get $H  i32.load offset=12  local.set $d
    global.get $H  i32.load offset=16  local.set $e
    global.get $H  i32.load offset=20  local.set $f
    global.get $H  i32.load offset=24  local.set $g
    global.get $H  i32.load offset=28  local.set $h

    ;; 64 rounds; $t is the byte offset of K[t] and W[t].
    (local.set $t (i32.const 0))
    (loop $round
      ;; T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
      (local.set $t1
        (i32.add
          (i32.add
            (i32.add
              (local.get $h)
              (i32.xor
                (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11)))
                (i32.rotr (local.get $e) (i32.const 25))))
            (i32.xor
              (i32.and (local.get $e) (local.get $f))
              (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))))
          (i32.add
            (i32.load (i32.add (global.get $K) (local.get $t)))
            (i32.load (i32.add (global.get $W) (local.get $t))))))
      ;; T2 = Σ0(a) + Maj(a, b, c)
      (local.set $t2
        (i32.add
          (i32.xor
            (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13)))
            (i32.rotr (local.get $a) (i32.const 22)))
          (i32.xor
            (i32.xor
              (i32.and (local.get $a) (local.get $b))
              (i32.and (local.get $a) (local.get $c)))
            (i32.and (local.get $b) (local.get $c)))))
      (local.set $h (local.get $g))
      (local.set $g (local.get $f))
      (local.set $f (local.get $e))
      (local.set $e (i32.add (local.get $d) (local.get $t1)))
      (local.set $d (local.get $c))
      (local.set $c (local.get $b))
      (local.set $b (local.get $a))
      (local.set $a (i32.add (local.get $t1) (local.get $t2)))
      (br_if $round (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (i32.const 256))))

    ;; H += a..h
    (call $add_state (i32.const 0) (local.get $a))
    (call $add_state (i32.const 4) (local.get $b))
    (call $add_state (i32.const 8) (local.get $c))
    (call $add_state (i32.const 12) (local.get $d))
    (call $add_state (i32.const 16) (local.get $e))
    (call $add_state (i32.const 20) (local.get $f))
    (call $add_state (i32.const 24) (local.get $g))
    (call $add_state (i32.const 28) (local.get $h)))

  (func $add_state (param $offset i32) (param $value i32)
    (local $addr i32)
    (local.set $addr (i32.add (global.get $H) (local.get $offset)))
    (i32.store (local.get $addr) (i32.add (i32.load (local.get $addr)) (local.get $value))))

  ;; Hashes $len bytes at `input`. Whole blocks are compressed where they lie; the rest
  ;; waits in the pending block.
  (func $update (export "update") (param $len i32)
    (local $p i32) (local $end i32) (local $n i32)
    (if (i32.gt_u (local.get $len) (global.get $input_size)) (then unreachable))
    (local.set $p (global.get $input))
    (local.set $end (i32.add (global.get $input) (local.get $len)))
    (global.set $length (i64.add (global.get $length) (i64.extend_i32_u (local.get $len))))
    (block $done
      (loop $more
        (br_if $done (i32.eq (local.get $p) (local.get $end)))
        (if (i32.and
              (i32.eqz (global.get $pending))
              (i32.ge_u (i32.sub (local.get $end) (local.get $p)) (i32.const 64)))
          (then
            (call $compress (local.get $p))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (br $more)))
        ;; n = min(64 - pending, end - p) bytes into the pending block.
        (local.set $n (i32.sub (i32.const 64) (global.get $pending)))
        (if (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (local.get $n))
          (then (local.set $n (i32.sub (local.get $end) (local.get $p)))))
        (memory.copy
          (i32.add (global.get $block) (global.get $pending))
          (local.get $p)
          (local.get $n))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (global.set $pending (i32.add (global.get $pending) (local.get $n)))
        (if (i32.eq (global.get $pending) (i32.const 64))
          (then
            (call $compress (global.get $block))
            (global.set $pending (i32.const 0))))
        (br $more))))

  ;; Pads the message (a 1 bit, zeros, the length in bits, FIPS 180-4 §5.1.1) and
  ;; writes the digest.
  (func $final (export "final") (result i32)
    (local $i i32)
    (i32.store8 (i32.add (global.get $block) (global.get $pending)) (i32.const 0x80))
    (global.set $pending (i32.add (global.get $pending) (i32.const 1)))
    (if (i32.gt_u (global.get $pending) (i32.const 56))
      (then
        (memory.fill
          (i32.add (global.get $block) (global.get $pending))
          (i32.const 0)
          (i32.sub (i32.const 64) (global.get $pending)))
        (call $compress (global.get $block))
        (global.set $pending (i32.const 0))))
    (memory.fill
      (i32.add (global.get $block) (global.get $pending))
      (i32.const 0)
      (i32.sub (i32.const 56) (global.get $pending)))
    ;; The length in bits, big-endian: the high word first.
    (i32.store offset=56 (global.get $block)
      (call $bswap (i32.wrap_i64 (i64.shr_u (global.get $length) (i64.const 29)))))
    (i32.store offset=60 (global.get $block)
      (call $bswap (i32.wrap_i64 (i64.shl (global.get $length) (i64.const 3)))))
    (call $compress (global.get $block))
    (local.set $i (i32.const 0))
    (loop $out
      (i32.store
        (i32.add (global.get $digest) (local.get $i))
        (call $bswap (i32.load (i32.add (global.get $H) (local.get $i)))))
      (br_if $out (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 32))))
    (global.get $digest))
)
