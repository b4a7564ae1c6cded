/* lazy_xlsxwriter.h — Excel output (libxlsxwriter).
 * The library is opened on first use (lazy.h), so
 * that a command that does not need it does not load it. Include this after
 * the library's own header; call lazy_xlsxwriter_load before the first call. Every
 * function of the library kpi calls is listed here: kpi does not link the
 * library, so a call to one not listed fails the link. */
#ifndef KPI_LAZY_XLSXWRITER_H
#define KPI_LAZY_XLSXWRITER_H

#include <xlsxwriter.h>

#include "err.h"
#include "lazy.h"

#define LAZY_XLSXWRITER_SYMS(X) \
    X(chart_add_series) \
    X(chart_axis_set_crossing_max) \
    X(chart_axis_set_major_unit) \
    X(chart_axis_set_max) \
    X(chart_axis_set_min) \
    X(chart_axis_set_name) \
    X(chart_axis_set_reverse) \
    X(chart_legend_delete_series) \
    X(chart_legend_set_position) \
    X(chart_series_set_categories) \
    X(chart_series_set_fill) \
    X(chart_series_set_line) \
    X(chart_series_set_marker_fill) \
    X(chart_series_set_marker_line) \
    X(chart_series_set_marker_size) \
    X(chart_series_set_marker_type) \
    X(chart_series_set_name) \
    X(chart_series_set_name_range) \
    X(chart_series_set_points) \
    X(chart_series_set_values) \
    X(chart_set_series_gap) \
    X(chart_show_blanks_as) \
    X(chart_title_set_name) \
    X(format_set_align) \
    X(format_set_bg_color) \
    X(format_set_bold) \
    X(format_set_bottom) \
    X(format_set_font_color) \
    X(format_set_num_format) \
    X(format_set_text_wrap) \
    X(lxw_strerror) \
    X(workbook_add_chart) \
    X(workbook_add_format) \
    X(workbook_add_worksheet) \
    X(workbook_close) \
    X(workbook_new_opt) \
    X(workbook_set_properties) \
    X(worksheet_autofilter) \
    X(worksheet_conditional_format_range) \
    X(worksheet_freeze_panes) \
    X(worksheet_insert_chart_opt) \
    X(worksheet_set_column) \
    X(worksheet_write_number) \
    X(worksheet_write_string)

typedef struct LazyFnsXlsxwriter {
    LAZY_XLSXWRITER_SYMS(LAZY_FIELD)
} LazyFnsXlsxwriter;
extern LazyFnsXlsxwriter lazy_xlsxwriter;

/* Open the library (once; thread-safe): 0, or -1 with "... needs libxlsxwriter.so.4, which cannot be
 * loaded: ..." in err. */
int lazy_xlsxwriter_load(Err *err);

#ifndef LAZY_IMPL /* calls go through the table */
#define chart_set_series_gap (lazy_xlsxwriter.chart_set_series_gap)
#define chart_series_set_points (lazy_xlsxwriter.chart_series_set_points)
#define chart_series_set_name (lazy_xlsxwriter.chart_series_set_name)
#define chart_series_set_fill (lazy_xlsxwriter.chart_series_set_fill)
#define chart_legend_delete_series (lazy_xlsxwriter.chart_legend_delete_series)
#define chart_axis_set_reverse (lazy_xlsxwriter.chart_axis_set_reverse)
#define chart_axis_set_name (lazy_xlsxwriter.chart_axis_set_name)
#define chart_axis_set_major_unit (lazy_xlsxwriter.chart_axis_set_major_unit)
#define chart_axis_set_crossing_max (lazy_xlsxwriter.chart_axis_set_crossing_max)
#define chart_add_series (lazy_xlsxwriter.chart_add_series)
#define chart_axis_set_max (lazy_xlsxwriter.chart_axis_set_max)
#define chart_axis_set_min (lazy_xlsxwriter.chart_axis_set_min)
#define chart_legend_set_position (lazy_xlsxwriter.chart_legend_set_position)
#define chart_series_set_categories (lazy_xlsxwriter.chart_series_set_categories)
#define chart_series_set_line (lazy_xlsxwriter.chart_series_set_line)
#define chart_series_set_marker_fill (lazy_xlsxwriter.chart_series_set_marker_fill)
#define chart_series_set_marker_line (lazy_xlsxwriter.chart_series_set_marker_line)
#define chart_series_set_marker_size (lazy_xlsxwriter.chart_series_set_marker_size)
#define chart_series_set_marker_type (lazy_xlsxwriter.chart_series_set_marker_type)
#define chart_series_set_name_range (lazy_xlsxwriter.chart_series_set_name_range)
#define chart_series_set_values (lazy_xlsxwriter.chart_series_set_values)
#define chart_show_blanks_as (lazy_xlsxwriter.chart_show_blanks_as)
#define chart_title_set_name (lazy_xlsxwriter.chart_title_set_name)
#define format_set_align (lazy_xlsxwriter.format_set_align)
#define format_set_bg_color (lazy_xlsxwriter.format_set_bg_color)
#define format_set_bold (lazy_xlsxwriter.format_set_bold)
#define format_set_bottom (lazy_xlsxwriter.format_set_bottom)
#define format_set_font_color (lazy_xlsxwriter.format_set_font_color)
#define format_set_num_format (lazy_xlsxwriter.format_set_num_format)
#define format_set_text_wrap (lazy_xlsxwriter.format_set_text_wrap)
#define lxw_strerror (lazy_xlsxwriter.lxw_strerror)
#define workbook_add_chart (lazy_xlsxwriter.workbook_add_chart)
#define workbook_add_format (lazy_xlsxwriter.workbook_add_format)
#define workbook_add_worksheet (lazy_xlsxwriter.workbook_add_worksheet)
#define workbook_close (lazy_xlsxwriter.workbook_close)
#define workbook_new_opt (lazy_xlsxwriter.workbook_new_opt)
#define workbook_set_properties (lazy_xlsxwriter.workbook_set_properties)
#define worksheet_autofilter (lazy_xlsxwriter.worksheet_autofilter)
#define worksheet_conditional_format_range (lazy_xlsxwriter.worksheet_conditional_format_range)
#define worksheet_freeze_panes (lazy_xlsxwriter.worksheet_freeze_panes)
#define worksheet_insert_chart_opt (lazy_xlsxwriter.worksheet_insert_chart_opt)
#define worksheet_set_column (lazy_xlsxwriter.worksheet_set_column)
#define worksheet_write_number (lazy_xlsxwriter.worksheet_write_number)
#define worksheet_write_string (lazy_xlsxwriter.worksheet_write_string)
#endif

#endif
