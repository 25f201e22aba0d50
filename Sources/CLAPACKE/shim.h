#ifndef LOSSFIT_CLAPACKE_SHIM_H
#define LOSSFIT_CLAPACKE_SHIM_H
#include <lapacke.h>
#endif
