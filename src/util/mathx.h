#ifndef MS_MATHX_H
#define MS_MATHX_H

#define MS_PI 3.14159265358979323846

#endif
