/*===- torch/spl_torch.h - The rt_torch_* C ABI of libspl_torch.so --------===*
 *
 * The face header of torch/: every function libspl_torch.so exports, with the
 * names and C signatures of /work/shared/TORCH-ABI.md (the Simple runtime's
 * torch bridge, with SplArray* replaced by pointer + count) plus this
 * project's additions (item, to_data, last_error, live_handles, manual_seed).
 * Plain C: it includes no torch header, so hosts and tests stay torch-free.
 *
 * Conventions
 * - A tensor is an int64_t handle; 0 is never a valid handle. Every function
 *   returning a handle returns a NEW one, which the caller releases with
 *   rt_torch_torchtensor_free (views share storage with their source, as in
 *   torch, but each handle is freed on its own).
 * - Tensors created here are float64 (the ABI trades in doubles); indices
 *   produced by argmax/argmin are int64. Where an op needs an index tensor
 *   (index_select, gather, embedding, nll_loss, cross_entropy class targets),
 *   a float tensor holding whole numbers is accepted and converted.
 * - Optional tensor arguments (bias, weight, running stats) take 0 for none.
 * - dims are (const int64_t* dims, int64_t ndim); tensor lists are
 *   (const int64_t* handles, int64_t n). Array results are written to
 *   (out, cap): at most cap entries are written and the full count is
 *   returned, so cap = 0 asks for the size.
 * - Errors never abort and no C++ exception leaves the library: a failing call
 *   returns 0 (handle, count), NaN (double), false (bool), or -1 for
 *   rt_torch_torchtensor_device, and rt_torch_last_error() says why, as
 *   "rt_<function>: <reason>". After a successful call it returns "".
 *   The state is per thread: rt_torch_last_error() always returns the same
 *   thread-local buffer (never freed), whose text the next call replaces.
 *   Messages longer than 2047 bytes are truncated.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SPL_TORCH_SPL_TORCH_H
#define SPL_TORCH_SPL_TORCH_H

#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

/* The library is built with hidden visibility; only what carries this is
   exported (and a version script keeps everything else local). */
#if defined(__GNUC__)
#define SPL_TORCH_API __attribute__((visibility("default")))
#else
#define SPL_TORCH_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- info ---------------------------------------------------------------- */
SPL_TORCH_API bool rt_torch_available(void);
/* The libtorch version (TORCH_VERSION), a static string. */
SPL_TORCH_API const char *rt_torch_version(void);
SPL_TORCH_API bool rt_torch_cuda_available(void);

/* ---- create (float64) ---------------------------------------------------- */
SPL_TORCH_API int64_t rt_torch_tensor_zeros(const int64_t *dims, int64_t ndim);
SPL_TORCH_API int64_t rt_torch_tensor_ones(const int64_t *dims, int64_t ndim);
SPL_TORCH_API int64_t rt_torch_tensor_randn(const int64_t *dims, int64_t ndim);
SPL_TORCH_API int64_t rt_torch_tensor_rand(const int64_t *dims, int64_t ndim);
SPL_TORCH_API int64_t rt_torch_tensor_empty(const int64_t *dims, int64_t ndim);
SPL_TORCH_API int64_t rt_torch_tensor_full(const int64_t *dims, int64_t ndim,
                                           double value);
/* n must equal the product of dims. */
SPL_TORCH_API int64_t rt_torch_tensor_from_data(const double *data, int64_t n,
                                                const int64_t *dims,
                                                int64_t ndim);
SPL_TORCH_API int64_t rt_torch_tensor_arange(double start, double end,
                                             double step);
SPL_TORCH_API int64_t rt_torch_tensor_linspace(double start, double end,
                                               int64_t steps);
SPL_TORCH_API int64_t rt_torch_tensor_eye(int64_t n);

/* ---- elementwise (broadcasting) ------------------------------------------ */
SPL_TORCH_API int64_t rt_torch_torchtensor_add(int64_t a, int64_t b);
SPL_TORCH_API int64_t rt_torch_torchtensor_sub(int64_t a, int64_t b);
SPL_TORCH_API int64_t rt_torch_torchtensor_mul(int64_t a, int64_t b);
SPL_TORCH_API int64_t rt_torch_torchtensor_div(int64_t a, int64_t b);
SPL_TORCH_API int64_t rt_torch_torchtensor_pow(int64_t t, double exponent);
SPL_TORCH_API int64_t rt_torch_torchtensor_add_scalar(int64_t t, double s);
SPL_TORCH_API int64_t rt_torch_torchtensor_sub_scalar(int64_t t, double s);
SPL_TORCH_API int64_t rt_torch_torchtensor_mul_scalar(int64_t t, double s);
SPL_TORCH_API int64_t rt_torch_torchtensor_div_scalar(int64_t t, double s);
SPL_TORCH_API int64_t rt_torch_torchtensor_neg(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_abs(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_sqrt(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_exp(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_log(int64_t t);

/* ---- activations -----------------------------------------------------------
 */
SPL_TORCH_API int64_t rt_torch_torchtensor_relu(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_sigmoid(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_tanh(int64_t t);
/* Exact (erf) GELU. */
SPL_TORCH_API int64_t rt_torch_torchtensor_gelu(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_leaky_relu(int64_t t,
                                                      double negative_slope);
SPL_TORCH_API int64_t rt_torch_torchtensor_softmax(int64_t t, int64_t dim);
SPL_TORCH_API int64_t rt_torch_torchtensor_log_softmax(int64_t t, int64_t dim);

/* ---- linear algebra --------------------------------------------------------
 */
SPL_TORCH_API int64_t rt_torch_torchtensor_matmul(int64_t a, int64_t b);
/* 1-D · 1-D, a 0-dim tensor. */
SPL_TORCH_API int64_t rt_torch_torchtensor_dot(int64_t a, int64_t b);
SPL_TORCH_API int64_t rt_torch_torchtensor_transpose(int64_t t, int64_t dim0,
                                                     int64_t dim1);
SPL_TORCH_API int64_t rt_torch_torchtensor_t(int64_t t);
/* The 2-norm of all elements (Frobenius for a matrix). */
SPL_TORCH_API double rt_torch_torchtensor_norm(int64_t t);
SPL_TORCH_API double rt_torch_torchtensor_det(int64_t t);
/* A singular matrix is an error. */
SPL_TORCH_API int64_t rt_torch_torchtensor_inverse(int64_t t);
/* Solves a @ x = b. */
SPL_TORCH_API int64_t rt_torch_torchtensor_linalg_solve(int64_t a, int64_t b);

/* ---- reductions (std/var are unbiased) ---------------------------------- */
SPL_TORCH_API double rt_torch_torchtensor_sum(int64_t t);
SPL_TORCH_API double rt_torch_torchtensor_mean(int64_t t);
SPL_TORCH_API double rt_torch_torchtensor_max(int64_t t);
SPL_TORCH_API double rt_torch_torchtensor_min(int64_t t);
SPL_TORCH_API double rt_torch_torchtensor_std(int64_t t);
SPL_TORCH_API double rt_torch_torchtensor_var(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_sum_dim(int64_t t, int64_t dim,
                                                   bool keepdim);
SPL_TORCH_API int64_t rt_torch_torchtensor_mean_dim(int64_t t, int64_t dim,
                                                    bool keepdim);
/* The values only (not the indices). */
SPL_TORCH_API int64_t rt_torch_torchtensor_max_dim(int64_t t, int64_t dim,
                                                   bool keepdim);
SPL_TORCH_API int64_t rt_torch_torchtensor_min_dim(int64_t t, int64_t dim,
                                                   bool keepdim);
/* int64 indices. As upstream, a negative dim means "over all elements" (the
   flat index, keepdim ignored). */
SPL_TORCH_API int64_t rt_torch_torchtensor_argmax(int64_t t, int64_t dim,
                                                  bool keepdim);
SPL_TORCH_API int64_t rt_torch_torchtensor_argmin(int64_t t, int64_t dim,
                                                  bool keepdim);

/* ---- shape -----------------------------------------------------------------
 */
SPL_TORCH_API int64_t rt_torch_torchtensor_ndim(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_numel(int64_t t);
/* Writes min(ndim, cap) sizes to out, returns ndim. */
SPL_TORCH_API int64_t rt_torch_torchtensor_shape(int64_t t, int64_t *out,
                                                 int64_t cap);
SPL_TORCH_API int64_t rt_torch_torchtensor_reshape(int64_t t,
                                                   const int64_t *dims,
                                                   int64_t ndim);
/* As upstream, a non-contiguous tensor is made contiguous first. */
SPL_TORCH_API int64_t rt_torch_torchtensor_view(int64_t t, const int64_t *dims,
                                                int64_t ndim);
SPL_TORCH_API int64_t rt_torch_torchtensor_permute(int64_t t,
                                                   const int64_t *dims,
                                                   int64_t ndim);
SPL_TORCH_API int64_t rt_torch_torchtensor_squeeze(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_flatten(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_contiguous(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_squeeze_dim(int64_t t, int64_t dim);
SPL_TORCH_API int64_t rt_torch_torchtensor_unsqueeze(int64_t t, int64_t dim);

/* ---- indexing --------------------------------------------------------------
 */
SPL_TORCH_API int64_t rt_torch_torchtensor_slice(int64_t t, int64_t dim,
                                                 int64_t start, int64_t end,
                                                 int64_t step);
SPL_TORCH_API int64_t rt_torch_torchtensor_index_select(int64_t t, int64_t dim,
                                                        int64_t indices);
SPL_TORCH_API int64_t rt_torch_torchtensor_gather(int64_t t, int64_t dim,
                                                  int64_t indices);
SPL_TORCH_API int64_t rt_torch_torchtensor_cat(const int64_t *handles,
                                               int64_t n, int64_t dim);
SPL_TORCH_API int64_t rt_torch_torchtensor_stack(const int64_t *handles,
                                                 int64_t n, int64_t dim);

/* ---- nn
 * ---------------------------------------------------------------------- */
/* input @ weight^T + bias (bias 0 = none). */
SPL_TORCH_API int64_t rt_torch_nn_linear(int64_t input, int64_t weight,
                                         int64_t bias);
SPL_TORCH_API int64_t rt_torch_nn_conv2d(
    int64_t input, int64_t weight, int64_t bias, const int64_t *stride,
    int64_t stride_len, const int64_t *padding, int64_t padding_len,
    const int64_t *dilation, int64_t dilation_len, int64_t groups);
/* An empty stride means stride = kernel size. */
SPL_TORCH_API int64_t
rt_torch_nn_max_pool2d(int64_t input, const int64_t *kernel, int64_t kernel_len,
                       const int64_t *stride, int64_t stride_len,
                       const int64_t *padding, int64_t padding_len);
SPL_TORCH_API int64_t
rt_torch_nn_avg_pool2d(int64_t input, const int64_t *kernel, int64_t kernel_len,
                       const int64_t *stride, int64_t stride_len,
                       const int64_t *padding, int64_t padding_len);
SPL_TORCH_API int64_t rt_torch_nn_dropout(int64_t input, double p,
                                          bool training);
/* Rows of weight picked by indices. */
SPL_TORCH_API int64_t rt_torch_nn_embedding(int64_t indices, int64_t weight);
SPL_TORCH_API int64_t rt_torch_nn_layer_norm(int64_t input,
                                             const int64_t *normalized_shape,
                                             int64_t normalized_len,
                                             int64_t weight, int64_t bias,
                                             double eps);
/* In training mode the running statistics (when given) are updated in place. */
SPL_TORCH_API int64_t rt_torch_nn_batch_norm(
    int64_t input, int64_t running_mean, int64_t running_var, int64_t weight,
    int64_t bias, bool training, double momentum, double eps);

/* ---- losses (mean reduction) -------------------------------------------- */
SPL_TORCH_API double rt_torch_nn_mse_loss(int64_t input, int64_t target);
/* target: class indices, or class probabilities shaped like input. */
SPL_TORCH_API double rt_torch_nn_cross_entropy(int64_t input, int64_t target);
SPL_TORCH_API double rt_torch_nn_binary_cross_entropy(int64_t input,
                                                      int64_t target);
SPL_TORCH_API double rt_torch_nn_nll_loss(int64_t input, int64_t target);

/* ---- autograd
 * ---------------------------------------------------------------- */
SPL_TORCH_API void rt_torch_autograd_set_requires_grad(int64_t t,
                                                       bool requires_grad);
SPL_TORCH_API bool rt_torch_autograd_requires_grad(int64_t t);
/* The accumulated gradient (shares storage with it), 0 if there is none. */
SPL_TORCH_API int64_t rt_torch_autograd_grad(int64_t t);
/* t must hold one element. */
SPL_TORCH_API void rt_torch_autograd_backward(int64_t t);
SPL_TORCH_API void rt_torch_autograd_zero_grad(int64_t t);
SPL_TORCH_API int64_t rt_torch_autograd_detach(int64_t t);
/* Gradient recording off on this thread until the matching end; nests. */
SPL_TORCH_API void rt_torch_autograd_no_grad_begin(void);
SPL_TORCH_API void rt_torch_autograd_no_grad_end(void);

/* ---- device
 * ------------------------------------------------------------------ */
SPL_TORCH_API int64_t rt_torch_torchtensor_cuda(int64_t t, int32_t device);
SPL_TORCH_API int64_t rt_torch_torchtensor_cpu(int64_t t);
SPL_TORCH_API bool rt_torch_torchtensor_is_cuda(int64_t t);
/* The CUDA device index, -1 for CPU. */
SPL_TORCH_API int32_t rt_torch_torchtensor_device(int64_t t);
SPL_TORCH_API int64_t rt_torch_torchtensor_clone(int64_t t);
SPL_TORCH_API int64_t rt_torch_cuda_memory_allocated(int32_t device);
SPL_TORCH_API void rt_torch_cuda_empty_cache(void);

/* ---- memory
 * ------------------------------------------------------------------ */
/* Freeing 0 does nothing; freeing an unknown handle is an error. */
SPL_TORCH_API void rt_torch_torchtensor_free(int64_t t);

/* ---- additions of this project
 * ----------------------------------------------- */
/* The value of a one-element tensor. */
SPL_TORCH_API double rt_torch_torchtensor_item(int64_t t);
/* Writes min(numel, cap) elements (row-major, as double) to out, returns numel.
 */
SPL_TORCH_API int64_t rt_torch_torchtensor_to_data(int64_t t, double *out,
                                                   int64_t cap);
SPL_TORCH_API const char *rt_torch_last_error(void);
/* Handles allocated and not yet freed, in this process. */
SPL_TORCH_API int64_t rt_torch_live_handles(void);
SPL_TORCH_API void rt_torch_manual_seed(int64_t seed);

#ifdef __cplusplus
}
#endif

#endif /* SPL_TORCH_SPL_TORCH_H */
