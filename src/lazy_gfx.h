/* lazy_gfx.h — PDF and charts as images (cairo and pango).
 * The library is opened on first use (lazy.h), so
 * that a command that does not need it does not load it. Include this after
 * the library's own header; call lazy_gfx_load before the first call. Every
 * function of the library kpi calls is listed here: kpi does not link the
 * library, so a call to one not listed fails the link. */
#ifndef KPI_LAZY_GFX_H
#define KPI_LAZY_GFX_H

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "err.h"
#include "lazy.h"

#define LAZY_GFX_SYMS(X) \
    X(cairo_arc) \
    X(cairo_close_path) \
    X(cairo_create) \
    X(cairo_curve_to) \
    X(cairo_destroy) \
    X(cairo_fill) \
    X(cairo_fill_preserve) \
    X(cairo_image_surface_create) \
    X(cairo_line_to) \
    X(cairo_move_to) \
    X(cairo_new_sub_path) \
    X(cairo_paint) \
    X(cairo_pdf_surface_add_outline) \
    X(cairo_pdf_surface_create_for_stream) \
    X(cairo_pdf_surface_set_metadata) \
    X(cairo_rectangle) \
    X(cairo_restore) \
    X(cairo_rotate) \
    X(cairo_save) \
    X(cairo_scale) \
    X(cairo_set_dash) \
    X(cairo_set_line_join) \
    X(cairo_set_line_width) \
    X(cairo_set_source_rgb) \
    X(cairo_show_page) \
    X(cairo_status_to_string) \
    X(cairo_stroke) \
    X(cairo_surface_destroy) \
    X(cairo_surface_finish) \
    X(cairo_surface_status) \
    X(cairo_surface_write_to_png_stream) \
    X(cairo_translate) \
    X(g_object_unref) \
    X(pango_attr_list_insert) \
    X(pango_attr_list_new) \
    X(pango_attr_list_unref) \
    X(pango_attr_style_new) \
    X(pango_attr_weight_new) \
    X(pango_cairo_create_layout) \
    X(pango_cairo_layout_path) \
    X(pango_cairo_show_layout) \
    X(pango_cairo_show_layout_line) \
    X(pango_font_description_free) \
    X(pango_font_description_from_string) \
    X(pango_font_description_set_size) \
    X(pango_font_description_set_style) \
    X(pango_font_description_set_weight) \
    X(pango_layout_get_iter) \
    X(pango_layout_get_line_count) \
    X(pango_layout_get_line_readonly) \
    X(pango_layout_get_pixel_extents) \
    X(pango_layout_get_size) \
    X(pango_layout_iter_free) \
    X(pango_layout_iter_get_baseline) \
    X(pango_layout_iter_get_line_extents) \
    X(pango_layout_iter_next_line) \
    X(pango_layout_line_get_pixel_extents) \
    X(pango_layout_set_alignment) \
    X(pango_layout_set_attributes) \
    X(pango_layout_set_ellipsize) \
    X(pango_layout_set_font_description) \
    X(pango_layout_set_height) \
    X(pango_layout_set_text) \
    X(pango_layout_set_width) \
    X(pango_layout_set_wrap)

typedef struct LazyFnsGfx {
    LAZY_GFX_SYMS(LAZY_FIELD)
} LazyFnsGfx;
extern LazyFnsGfx lazy_gfx;

/* Open the library (once; thread-safe): 0, or -1 with "... needs libpangocairo-1.0.so.0, which cannot be
 * loaded: ..." in err. */
int lazy_gfx_load(Err *err);

#ifndef LAZY_IMPL /* calls go through the table */
#define pango_layout_get_pixel_extents (lazy_gfx.pango_layout_get_pixel_extents)
#define pango_cairo_layout_path (lazy_gfx.pango_cairo_layout_path)
#define cairo_set_line_join (lazy_gfx.cairo_set_line_join)
#define cairo_rotate (lazy_gfx.cairo_rotate)
#define cairo_arc (lazy_gfx.cairo_arc)
#define cairo_close_path (lazy_gfx.cairo_close_path)
#define cairo_create (lazy_gfx.cairo_create)
#define cairo_curve_to (lazy_gfx.cairo_curve_to)
#define cairo_destroy (lazy_gfx.cairo_destroy)
#define cairo_fill (lazy_gfx.cairo_fill)
#define cairo_fill_preserve (lazy_gfx.cairo_fill_preserve)
#define cairo_image_surface_create (lazy_gfx.cairo_image_surface_create)
#define cairo_line_to (lazy_gfx.cairo_line_to)
#define cairo_move_to (lazy_gfx.cairo_move_to)
#define cairo_new_sub_path (lazy_gfx.cairo_new_sub_path)
#define cairo_paint (lazy_gfx.cairo_paint)
#define cairo_pdf_surface_add_outline (lazy_gfx.cairo_pdf_surface_add_outline)
#define cairo_pdf_surface_create_for_stream (lazy_gfx.cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata (lazy_gfx.cairo_pdf_surface_set_metadata)
#define cairo_rectangle (lazy_gfx.cairo_rectangle)
#define cairo_restore (lazy_gfx.cairo_restore)
#define cairo_save (lazy_gfx.cairo_save)
#define cairo_scale (lazy_gfx.cairo_scale)
#define cairo_set_dash (lazy_gfx.cairo_set_dash)
#define cairo_set_line_width (lazy_gfx.cairo_set_line_width)
#define cairo_set_source_rgb (lazy_gfx.cairo_set_source_rgb)
#define cairo_show_page (lazy_gfx.cairo_show_page)
#define cairo_status_to_string (lazy_gfx.cairo_status_to_string)
#define cairo_stroke (lazy_gfx.cairo_stroke)
#define cairo_surface_destroy (lazy_gfx.cairo_surface_destroy)
#define cairo_surface_finish (lazy_gfx.cairo_surface_finish)
#define cairo_surface_status (lazy_gfx.cairo_surface_status)
#define cairo_surface_write_to_png_stream (lazy_gfx.cairo_surface_write_to_png_stream)
#define cairo_translate (lazy_gfx.cairo_translate)
#define g_object_unref (lazy_gfx.g_object_unref)
#define pango_attr_list_insert (lazy_gfx.pango_attr_list_insert)
#define pango_attr_list_new (lazy_gfx.pango_attr_list_new)
#define pango_attr_list_unref (lazy_gfx.pango_attr_list_unref)
#define pango_attr_style_new (lazy_gfx.pango_attr_style_new)
#define pango_attr_weight_new (lazy_gfx.pango_attr_weight_new)
#define pango_cairo_create_layout (lazy_gfx.pango_cairo_create_layout)
#define pango_cairo_show_layout (lazy_gfx.pango_cairo_show_layout)
#define pango_cairo_show_layout_line (lazy_gfx.pango_cairo_show_layout_line)
#define pango_font_description_free (lazy_gfx.pango_font_description_free)
#define pango_font_description_from_string (lazy_gfx.pango_font_description_from_string)
#define pango_font_description_set_size (lazy_gfx.pango_font_description_set_size)
#define pango_font_description_set_style (lazy_gfx.pango_font_description_set_style)
#define pango_font_description_set_weight (lazy_gfx.pango_font_description_set_weight)
#define pango_layout_get_iter (lazy_gfx.pango_layout_get_iter)
#define pango_layout_get_line_count (lazy_gfx.pango_layout_get_line_count)
#define pango_layout_get_line_readonly (lazy_gfx.pango_layout_get_line_readonly)
#define pango_layout_get_size (lazy_gfx.pango_layout_get_size)
#define pango_layout_iter_free (lazy_gfx.pango_layout_iter_free)
#define pango_layout_iter_get_baseline (lazy_gfx.pango_layout_iter_get_baseline)
#define pango_layout_iter_get_line_extents (lazy_gfx.pango_layout_iter_get_line_extents)
#define pango_layout_iter_next_line (lazy_gfx.pango_layout_iter_next_line)
#define pango_layout_line_get_pixel_extents (lazy_gfx.pango_layout_line_get_pixel_extents)
#define pango_layout_set_alignment (lazy_gfx.pango_layout_set_alignment)
#define pango_layout_set_attributes (lazy_gfx.pango_layout_set_attributes)
#define pango_layout_set_ellipsize (lazy_gfx.pango_layout_set_ellipsize)
#define pango_layout_set_font_description (lazy_gfx.pango_layout_set_font_description)
#define pango_layout_set_height (lazy_gfx.pango_layout_set_height)
#define pango_layout_set_text (lazy_gfx.pango_layout_set_text)
#define pango_layout_set_width (lazy_gfx.pango_layout_set_width)
#define pango_layout_set_wrap (lazy_gfx.pango_layout_set_wrap)
#endif

#endif
