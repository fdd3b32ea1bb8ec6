/* The messages screen (key 3): not built yet, a placeholder. */
#include "screens.h"

const screen_class comms_screen = {
    .name = "Comms: Slack update and status-page notice",
    .layout = placeholder_layout,
    .fits = placeholder_fits,
};
