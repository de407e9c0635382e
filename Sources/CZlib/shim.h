// zlib from the system (Debian's zlib1g-dev; part of the SDK on macOS), for gzip-compressed
// IDX files. `inflateInit2` is a macro Swift cannot import; Datasets calls `inflateInit2_`.
#include <zlib.h>
