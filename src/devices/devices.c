/* The device registry: the one list of every device family. Adding a
 * device is one file in this directory and one line here. */
#include <stdio.h>
#include <string.h>

#include "circuit/device.h"

extern const DeviceType device_resistor, device_capacitor, device_inductor, device_mutual,
    device_vsource, device_isource, device_vcvs, device_vccs, device_cccs, device_ccvs, device_bvoltage,
    device_bcurrent, device_evalue, device_gvalue, device_rexpr, device_cexpr, device_lexpr, device_mos1, device_diode, device_vswitch,
    device_cswitch, device_vswitch_smooth, device_iswitch_smooth, device_mem_lineardrift, device_mem_team, device_mem_yakopcic, device_mem_pem, device_mem_vteam,
    device_mem_rram, device_mem_kim, device_mem_stp, device_threshold, device_threshold_umass, device_threshold_vvteam, device_vo2,
    device_mott_pickett, device_mott_kumar, device_mott_kumar3, device_diffusive;

static const DeviceType *const registry[] = {
    &device_resistor, &device_capacitor, &device_inductor, &device_mutual, &device_vsource,
    &device_isource,  &device_vcvs,      &device_vccs,     &device_cccs,   &device_ccvs,
    &device_bvoltage, &device_bcurrent,  &device_evalue,   &device_gvalue, &device_rexpr,
    &device_cexpr,    &device_lexpr,     &device_mos1,
    &device_diode,    &device_vswitch,   &device_cswitch, &device_vswitch_smooth, &device_iswitch_smooth,
    /* memristors in level order; level 1 first: the default level */
    &device_mem_lineardrift, &device_mem_team, &device_mem_yakopcic, &device_mem_pem, &device_mem_vteam, &device_mem_rram,
    &device_mem_kim, &device_mem_stp,
    /* volatile threshold devices */
    &device_threshold, &device_threshold_umass, &device_threshold_vvteam, &device_vo2, &device_mott_pickett, &device_mott_kumar, &device_mott_kumar3, &device_diffusive,
};

int device_count(void)
{
    return (int)(sizeof registry / sizeof registry[0]);
}

const DeviceType *device_at(int i)
{
    return registry[i];
}

static int accepts_model(const DeviceType *t, const char *model_type)
{
    if (!t->model_types) return 0;
    for (const char *const *m = t->model_types; *m; m++)
        if (strcmp(*m, model_type) == 0) return 1;
    return 0;
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

const DeviceType *device_find(char letter, const char *model_type, int level)
{
    letter = upper(letter);
    const DeviceType *fallback = NULL;
    for (int i = 0; i < device_count(); i++) {
        const DeviceType *t = registry[i];
        if (t->letter != letter) continue;
        if (!model_type) {
            if (t->model_use != MODEL_REQUIRED) return t;
            continue;
        }
        if (!accepts_model(t, model_type)) continue;
        if (t->level == level) return t;
        if (level == 0 && !fallback) fallback = t;
    }
    return fallback;
}

const DeviceType *device_find_model(const char *model_type, int level)
{
    const DeviceType *fallback = NULL;
    for (int i = 0; i < device_count(); i++) {
        const DeviceType *t = registry[i];
        if (!accepts_model(t, model_type)) continue;
        if (t->level == level) return t;
        if ((level == 0 || t->level == 0) && !fallback) fallback = t;
    }
    return fallback;
}

int device_letter_known(char letter)
{
    letter = upper(letter);
    for (int i = 0; i < device_count(); i++)
        if (registry[i]->letter == letter) return 1;
    return 0;
}

void device_syntax(const DeviceType *t, char *buf, int n)
{
    int len = t->element_word ? snprintf(buf, (size_t)n, "%s <name>", t->element_word)
                              : snprintf(buf, (size_t)n, "%c<name>", t->letter);
    for (int k = 0; k < t->nterm && len < n; k++) len += snprintf(buf + len, (size_t)(n - len), " %s", t->term_names[k]);
    for (int k = 0; k < t->nterm_opt && len < n; k++)
        len += snprintf(buf + len, (size_t)(n - len), " [%s]", t->term_names[t->nterm + k]);
    for (int k = 0; k < t->nrefs && len < n; k++) len += snprintf(buf + len, (size_t)(n - len), " <element>");
    for (int k = 0; t->positional && t->positional[k] && len < n; k++)
        len += snprintf(buf + len, (size_t)(n - len), " %s", t->positional[k]);
    if (t->model_use == MODEL_REQUIRED && len < n) len += snprintf(buf + len, (size_t)(n - len), " <model>");
    if (t->waveform && len < n) snprintf(buf + len, (size_t)(n - len), " [DC value] [AC mag [phase]] [PULSE(...)|SIN(...)|...]");
}
