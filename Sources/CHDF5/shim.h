#ifndef AUTOPARAM_CHDF5_SHIM_H
#define AUTOPARAM_CHDF5_SHIM_H
#include <hdf5.h>
#endif
