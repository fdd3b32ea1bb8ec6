/* The decision-tree walker (key 2): not built yet, a placeholder. */
#include "screens.h"

const screen_class walker_screen = {
    .name = "Decision-tree walker",
    .layout = placeholder_layout,
    .fits = placeholder_fits,
};
