/** @odoo-module **/
// Copyright 2025 Globenet
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import { registry } from "@web/core/registry";
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";
import { formatFloat } from "@web/views/fields/formatters";

/**
 * Quota bar: Odoo's progress bar, full and red over 100 %, with the figure
 * written out in full in the user's number format ("1,536.0 %", not "2k %").
 */
export class QuotaBarField extends ProgressBarField {
    formatCurrentValue(humanReadable = !this.state.isEditing) {
        if (!humanReadable) {
            return super.formatCurrentValue(humanReadable);
        }
        return formatFloat(this.currentValue, {
            digits: this.props.record.fields[this.currentValueField].digits,
        });
    }
}

export const quotaBarField = {
    ...progressBarField,
    component: QuotaBarField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...progressBarField.extractProps(fieldInfo, dynamicInfo),
        overflowClass: fieldInfo.options.overflow_class || "bg-danger",
    }),
};

registry.category("fields").add("nolog_quota_bar", quotaBarField);
