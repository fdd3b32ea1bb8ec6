/*
 * Inside the walker screen (walker_screen.c: the class, its keys and cursor; walker_draw.c:
 * the path, the leaf and the checklist as lines). The walker's state itself is v->walk.
 */
#ifndef HSR_SCREENS_WALKER_SCREEN_H
#define HSR_SCREENS_WALKER_SCREEN_H

#include "screens.h"

/* Where the operator is on the walker screen: an item under the cursor, and the scroll. */
typedef struct {
	pane_ctx ctx; /* scroll: the first content line shown */
	int cursor;   /* an item: path step k is k, remediation step j is n_steps + j */
	bool follow;  /* the next draw scrolls so the cursor shows */
} walker_place;

extern walker_place walker_at;
extern const pane_class walker_pane;

/* How many items the cursor can be on: the path's questions, then the leaf's steps. */
int walker_items(const walker *w);

#endif
