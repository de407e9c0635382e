#ifndef AUTOPARAM_CHDF5_SHIM_H
#define AUTOPARAM_CHDF5_SHIM_H

// The HDF5 C API exposes many of its constants as macros that expand to a call of H5open()
// followed by a global variable (H5T_NATIVE_INT32 is `(H5open(), H5T_NATIVE_INT32_g)`).
// Swift imports neither such macros nor the `(hid_t)0`-style casts, so this header wraps each
// one in a static inline function. Everything here is a one-liner over the public API; the
// Swift module `HDF5` is the only client.

#include <hdf5.h>
#include <string.h>

// MARK: - Native datatypes (library-owned ids: never close them)

static inline hid_t chdf5_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t chdf5_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t chdf5_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t chdf5_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t chdf5_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t chdf5_native_int16(void) { return H5T_NATIVE_INT16; }
static inline hid_t chdf5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }
static inline size_t chdf5_t_variable(void) { return H5T_VARIABLE; }

// MARK: - Property lists

static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t chdf5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t chdf5_p_dataset_access(void) { return H5P_DATASET_ACCESS; }
static inline hid_t chdf5_p_dataset_xfer(void) { return H5P_DATASET_XFER; }
static inline hid_t chdf5_p_group_create(void) { return H5P_GROUP_CREATE; }
static inline hid_t chdf5_p_link_create(void) { return H5P_LINK_CREATE; }
static inline hid_t chdf5_p_attribute_create(void) { return H5P_ATTRIBUTE_CREATE; }

// MARK: - File access flags

static inline unsigned chdf5_f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned chdf5_f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned chdf5_f_obj_all(void) { return H5F_OBJ_ALL; }

// MARK: - Dataspaces and errors

static inline hsize_t chdf5_s_unlimited(void) { return H5S_UNLIMITED; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline hid_t chdf5_e_default(void) { return H5E_DEFAULT; }

/// Turns off HDF5's automatic printing of its error stack to stderr (for this thread's
/// default stack; with a thread-safe build every thread has its own).
static inline herr_t chdf5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// Initializes the library and silences automatic error printing, once per calling thread.
static inline void chdf5_prepare_thread(void) {
    static __thread int prepared = 0;
    if (!prepared) {
        H5open();
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        prepared = 1;
    }
}

// MARK: - Metadata cache

/// Configures the file's metadata cache so that dirty metadata is never evicted (written)
/// between explicit flushes: the cache starts at `initial_bytes`, never shrinks, and may grow
/// past its maximum instead of evicting. With this setting the metadata on disk only changes
/// inside H5Fflush/H5Fclose, which is what the run file's commit protocol relies on.
static inline herr_t chdf5_set_mdc_no_evictions(hid_t fapl, size_t initial_bytes) {
    H5AC_cache_config_t config;
    memset(&config, 0, sizeof(config));
    config.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    if (H5Pget_mdc_config(fapl, &config) < 0) return -1;
    config.evictions_enabled = 0;
    config.incr_mode = H5C_incr__off;
    config.flash_incr_mode = H5C_flash_incr__off;
    config.decr_mode = H5C_decr__off;
    config.set_initial_size = 1;
    config.initial_size = initial_bytes;
    if (config.max_size < initial_bytes) config.max_size = initial_bytes;
    if (config.min_size > initial_bytes) config.min_size = initial_bytes;
    return H5Pset_mdc_config(fapl, &config);
}

#endif
