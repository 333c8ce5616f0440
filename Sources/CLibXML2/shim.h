// libxml2 is built with ICU on Debian, and its encoding header then includes ICU's headers, which clash
// with the ICU copy Foundation ships (_FoundationICU). Assay calls no encoding API of libxml2 and only
// holds pointers to its encoding handlers, so the ICU part is left out of the declarations.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
