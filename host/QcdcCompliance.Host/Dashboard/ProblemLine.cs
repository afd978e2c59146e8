using QcdcCompliance.Reports;
using QcdcCompliance.Import;

namespace QcdcCompliance.Host.Dashboard;

/// <summary>
/// A problem of a refused file as a page shows it: where and what, in Vietnamese and as an English page says them (never
/// the terminal's text: no principal, time-zone id or command). The workspace's upload and the dashboard's what-if both
/// show them (here, so that the dashboard needs nothing of the workspace).
/// </summary>
public sealed record ProblemLine(string Where, string Message, string WhereEn, string MessageEn, string? Cell)
{
    /// <summary>The English beside the Vietnamese of a Vietnamese page: where, then what.</summary>
    public string English => $"{WhereEn}: {MessageEn}";

    public static ProblemLine Of(ImportProblem p) =>
        new(ImportWording.Where(p), ImportWording.Vietnamese(p), ImportWording.WhereInEnglish(p), ImportWording.English(p), p.Cell);

    /// <summary>
    /// A problem of a reported value named as the unit's entry form names it: its indicator by its name (the words of the
    /// template's header row, not the column's code) and its unit by its name with its code, in where and in what, so
    /// that an officer finds the cell by the words on the sheet. <paramref name="unitName"/> gives a stored unit's name;
    /// an unknown code (the problem may be that it is unknown) stays as it is.
    /// </summary>
    public static ProblemLine Named(ImportProblem p, Func<string, string?> unitName)
    {
        var line = Of(p);
        var (where, message, whereEn, messageEn) = (line.Where, line.Message, line.WhereEn, line.MessageEn);
        if (p.Indicator is { } code && IndicatorCatalogue.Find(code) is { } indicator)
        {
            (where, message) = (where.Replace($"chỉ tiêu {code}", $"chỉ tiêu “{indicator.NameVi}”", StringComparison.Ordinal),
                message.Replace($"chỉ tiêu {code}", $"chỉ tiêu “{indicator.NameVi}”", StringComparison.Ordinal));
            (whereEn, messageEn) = (whereEn.Replace($"indicator {code}", $"indicator “{indicator.NameEn}”", StringComparison.Ordinal),
                messageEn.Replace($"indicator {code}", $"indicator “{indicator.NameEn}”", StringComparison.Ordinal));
        }

        if (p.Unit is { } unit && unitName(unit) is { } name)
        {
            (where, message) = (where.Replace($"đơn vị {unit}", $"đơn vị {name} ({unit})", StringComparison.Ordinal),
                message.Replace($"đơn vị {unit}", $"đơn vị {name} ({unit})", StringComparison.Ordinal));
            (whereEn, messageEn) = (whereEn.Replace($"unit {unit}", $"unit {name} ({unit})", StringComparison.Ordinal),
                messageEn.Replace($"unit {unit}", $"unit {name} ({unit})", StringComparison.Ordinal));
        }

        return line with { Where = where, Message = message, WhereEn = whereEn, MessageEn = messageEn };
    }
}
