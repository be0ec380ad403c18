;; The one kernel of the browser trainer (gan-trainer.js): a matrix product in WebAssembly.
;;
;;   gemm(A, B, C, M, K, N, acc, at, bias):  C (M x N) = A (M x K) times B (K x N)
;;
;; All are row-major float32 arrays in the imported memory, passed by their byte offsets. With
;; acc, C += A B; with at, A is stored transposed (K x M), so that a layer's backward pass needs
;; no transpose; with a bias (N numbers; 0 for none), C = bias + A B, row by row (nn.Linear).
;; It is gan-trainer.js's gemmJS loop, row m of C at a time: add A[m, k] times row k of B to row
;; m of C, four k at a time (then the k left over one by one), and four columns at once (f32x4,
;; WebAssembly's 128-bit SIMD; then the columns left over one by one), in the same order of
;; additions as gemmJS. Every layer's forward and backward pass is such a product.
;; `make setup` assembles this file with wabt (vendor/package.json) into _static/gan-kernels.js.
(module
  (import "env" "memory" (memory 1))
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32)
        (param $M i32) (param $K i32) (param $N i32) (param $acc i32) (param $at i32) (param $bias i32)
    (local $m i32) (local $k i32) (local $j i32) (local $crow i32) (local $brow i32)
    (local $as f32) (local $av v128) (local $N4 i32) (local $p i32) (local $q i32) (local $rowbytes i32)
    (local $abase i32) (local $astride i32)
    (local $a0 f32) (local $a1 f32) (local $a2 f32) (local $a3 f32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $N4 (i32.and (local.get $N) (i32.const -4)))  ;; the columns done four at a time
    (local.set $m (i32.const 0))
    (block $rows_done (loop $rows  ;; for m in 0 .. M
      (br_if $rows_done (i32.ge_u (local.get $m) (local.get $M)))
      ;; crow = &C[m, 0]
      (local.set $crow (i32.add (local.get $c) (i32.shl (i32.mul (local.get $m) (local.get $N)) (i32.const 2))))
      (if (i32.eqz (local.get $acc))  ;; unless accumulating, C[m, :] starts at the bias, or at 0
        (then (if (local.get $bias)
          (then (memory.copy (local.get $crow) (local.get $bias) (i32.shl (local.get $N) (i32.const 2))))
          (else (memory.fill (local.get $crow) (i32.const 0) (i32.shl (local.get $N) (i32.const 2)))))))
      ;; A[m, k] is at abase + k * astride: A[m * K + k], or A[k * M + m] if at
      (if (local.get $at)
        (then (local.set $abase (i32.add (local.get $a) (i32.shl (local.get $m) (i32.const 2))))
              (local.set $astride (i32.shl (local.get $M) (i32.const 2))))
        (else (local.set $abase (i32.add (local.get $a) (i32.shl (i32.mul (local.get $m) (local.get $K)) (i32.const 2))))
              (local.set $astride (i32.const 4))))
      (local.set $k (i32.const 0))
      (block $quads_done (loop $quads  ;; four k at a time: C[m, :] += A[m, k..k+3] B[k..k+3, :]
        (br_if $quads_done (i32.ge_s (i32.add (local.get $k) (i32.const 3)) (local.get $K)))
        (local.set $a0 (f32.load (i32.add (local.get $abase) (i32.mul (local.get $k) (local.get $astride)))))
        (local.set $a1 (f32.load (i32.add (local.get $abase) (i32.mul (i32.add (local.get $k) (i32.const 1)) (local.get $astride)))))
        (local.set $a2 (f32.load (i32.add (local.get $abase) (i32.mul (i32.add (local.get $k) (i32.const 2)) (local.get $astride)))))
        (local.set $a3 (f32.load (i32.add (local.get $abase) (i32.mul (i32.add (local.get $k) (i32.const 3)) (local.get $astride)))))
        (local.set $v0 (f32x4.splat (local.get $a0)))
        (local.set $v1 (f32x4.splat (local.get $a1)))
        (local.set $v2 (f32x4.splat (local.get $a2)))
        (local.set $v3 (f32x4.splat (local.get $a3)))
        (local.set $rowbytes (i32.shl (local.get $N) (i32.const 2)))
        (local.set $brow (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $rowbytes))))
        (local.set $j (i32.const 0))
        (block $fours_done (loop $fours  ;; C[m, j:j+4] += a0 B[k, j:j+4] + ... + a3 B[k+3, j:j+4]
          (br_if $fours_done (i32.ge_u (local.get $j) (local.get $N4)))
          (local.set $p (i32.shl (local.get $j) (i32.const 2)))
          (local.set $q (i32.add (local.get $brow) (local.get $p)))
          (v128.store (i32.add (local.get $crow) (local.get $p))
            (f32x4.add (v128.load (i32.add (local.get $crow) (local.get $p)))
              (f32x4.add
                (f32x4.add (f32x4.mul (local.get $v0) (v128.load (local.get $q)))
                           (f32x4.mul (local.get $v1) (v128.load (i32.add (local.get $q) (local.get $rowbytes)))))
                (f32x4.add (f32x4.mul (local.get $v2) (v128.load (i32.add (local.get $q) (i32.shl (local.get $rowbytes) (i32.const 1)))))
                           (f32x4.mul (local.get $v3) (v128.load (i32.add (local.get $q) (i32.mul (local.get $rowbytes) (i32.const 3)))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $fours)))
        (block $ones_done (loop $ones  ;; the columns left over, one by one, in the same order
          (br_if $ones_done (i32.ge_u (local.get $j) (local.get $N)))
          (local.set $p (i32.shl (local.get $j) (i32.const 2)))
          (local.set $q (i32.add (local.get $brow) (local.get $p)))
          (f32.store (i32.add (local.get $crow) (local.get $p))
            (f32.add (f32.load (i32.add (local.get $crow) (local.get $p)))
              (f32.add
                (f32.add (f32.mul (local.get $a0) (f32.load (local.get $q)))
                         (f32.mul (local.get $a1) (f32.load (i32.add (local.get $q) (local.get $rowbytes)))))
                (f32.add (f32.mul (local.get $a2) (f32.load (i32.add (local.get $q) (i32.shl (local.get $rowbytes) (i32.const 1)))))
                         (f32.mul (local.get $a3) (f32.load (i32.add (local.get $q) (i32.mul (local.get $rowbytes) (i32.const 3)))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $ones)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $quads)))
      (block $inner_done (loop $inner  ;; the k left over (K not a multiple of 4), one at a time
        (br_if $inner_done (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $as (f32.load (i32.add (local.get $abase) (i32.mul (local.get $k) (local.get $astride)))))
        (local.set $av (f32x4.splat (local.get $as)))
        (local.set $brow (i32.add (local.get $b) (i32.shl (i32.mul (local.get $k) (local.get $N)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $fours1_done (loop $fours1  ;; C[m, j:j+4] += as * B[k, j:j+4]
          (br_if $fours1_done (i32.ge_u (local.get $j) (local.get $N4)))
          (local.set $p (i32.shl (local.get $j) (i32.const 2)))
          (v128.store (i32.add (local.get $crow) (local.get $p))
            (f32x4.add (v128.load (i32.add (local.get $crow) (local.get $p)))
                       (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $brow) (local.get $p))))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $fours1)))
        (block $ones1_done (loop $ones1  ;; C[m, j] += as * B[k, j] for the rest
          (br_if $ones1_done (i32.ge_u (local.get $j) (local.get $N)))
          (local.set $p (i32.shl (local.get $j) (i32.const 2)))
          (f32.store (i32.add (local.get $crow) (local.get $p))
            (f32.add (f32.load (i32.add (local.get $crow) (local.get $p)))
                     (f32.mul (local.get $as) (f32.load (i32.add (local.get $brow) (local.get $p))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $ones1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $inner)))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $rows)))))
