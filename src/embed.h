/* embed.h — files carried inside the binary (the worked example), generated
 * at build time by tools/embed.c into build/gen/embed_files.c. */
#ifndef KPI_EMBED_H
#define KPI_EMBED_H

#include <stddef.h>

typedef struct EmbedFile {
    const char *name;  /* e.g. "chorley-2011-q2/values.csv"; NULL ends the table */
    const char *data;
    size_t len;
} EmbedFile;

extern const EmbedFile embed_files[];

#endif
