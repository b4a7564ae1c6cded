/* delivery.h — delivery-plan status counts with percentages of the reported
 * items that add up to 100 (largest remainder). Pure. */
#ifndef KPI_DELIVERY_H
#define KPI_DELIVERY_H

typedef enum Status {
    STATUS_GREEN, STATUS_AMBER, STATUS_RED, STATUS_COMPLETE, STATUS_UNREPORTED, STATUS_COUNT
} Status;

const char *status_name(Status s);          /* "green" ... "unreported", from present.c's table of words */
int status_parse(const char *s, Status *out); /* case-insensitive; 0 or -1 */

typedef struct Delivery {
    int count[STATUS_COUNT];
    int total;            /* all items */
    int reported;         /* total - unreported */
    int percent[STATUS_COUNT]; /* of reported; unreported's is 0; all 0 when reported == 0 */
} Delivery;

/* Fill d->percent (and total, reported) from d->count. Largest remainder:
 * each reported status gets floor(count*100/reported), then the points left
 * go to the largest remainders, ties to the larger count, then to the earlier status. */
void delivery_compute(Delivery *d);

/* Largest-remainder apportionment of `total_points` over n counts (general form,
 * used by delivery_compute). out[i] are whole numbers adding to total_points
 * when the counts sum to more than zero, else all zero. */
void delivery_apportion(const int *counts, int n, int total_points, int *out);

#endif
