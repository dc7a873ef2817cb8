/* --list-devices and the parameter tables of the docs/devices pages, both
 * generated from the device tables. */
#include <stdio.h>

#include "circuit/device.h"
#include "sim.h"

static void param_table(FILE *out, const char *title, const ParamDesc *p, int n, int md)
{
    if (!n) return;
    if (md) {
        fprintf(out, "\n%s:\n\n| name | unit | default | meaning |\n|---|---|---|---|\n", title);
        for (int i = 0; i < n; i++) {
            char def[32];
            if (p[i].flags & PF_REQUIRED) snprintf(def, sizeof def, "required");
            else snprintf(def, sizeof def, "%g", p[i].def);
            fprintf(out, "| %s | %s | %s | %s |\n", p[i].name, p[i].unit[0] ? p[i].unit : "-", def, p[i].help);
        }
        return;
    }
    fprintf(out, "    %s:\n", title);
    for (int i = 0; i < n; i++) {
        char def[32];
        if (p[i].flags & PF_REQUIRED) snprintf(def, sizeof def, "required");
        else snprintf(def, sizeof def, "%g", p[i].def);
        fprintf(out, "      %-10s %-8s %-10s %s\n", p[i].name, p[i].unit, def, p[i].help);
    }
}

void devices_describe(FILE *out, int md)
{
    for (int i = 0; i < device_count(); i++) {
        const DeviceType *t = device_at(i);
        char title[64];
        if (t->level > 0) snprintf(title, sizeof title, "%s level=%d", t->name, t->level);
        else snprintf(title, sizeof title, "%s", t->name);
        if (md) fprintf(out, "\n## %s (%s)\n\n%s\n", title, t->element_word ? t->element_word : (char[]){t->letter, 0},
                        t->summary);
        else fprintf(out, "%c  %-12s %s\n", t->letter, title, t->summary);
        if (!md && t->nterm) {
            fprintf(out, "    terminals:");
            for (int k = 0; k < t->nterm; k++) fprintf(out, " %s", t->term_names[k]);
            for (int k = 0; k < t->nterm_opt; k++) fprintf(out, " [%s]", t->term_names[t->nterm + k]);
            fprintf(out, "\n");
        }
        if (!md && t->model_types) {
            fprintf(out, "    .model types:");
            for (const char *const *m = t->model_types; *m; m++) fprintf(out, " %s", *m);
            if (t->level) fprintf(out, " (level=%d)", t->level);
            fprintf(out, "\n");
        }
        param_table(out, "instance parameters", t->inst_params, t->n_inst_params, md);
        param_table(out, "model parameters", t->model_params, t->n_model_params, md);
    }
}
