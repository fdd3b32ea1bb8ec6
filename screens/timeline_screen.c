/* The incident timeline (key 4): not built yet, a placeholder. */
#include "screens.h"

const screen_class timeline_screen = {
    .name = "Incident timeline",
    .layout = placeholder_layout,
    .fits = placeholder_fits,
};
