using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary><c>code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to</c>; upserted by code.</summary>
public static class UnitImporter
{
    public static readonly IReadOnlyList<Column> Schema =
    [
        new("code"), new("name"), new("kind"), new("area_code"), new("has_trade_union"), new("headcount"),
        new("contact_email"), new("active_from"), new("active_to"),
    ];

    private const int Code = 0, Name = 1, Kind = 2, AreaCode = 3, Union = 4, Headcount = 5, Email = 6, From = 7, To = 8;

    public static async Task<ImportSummary> ImportAsync(QcdcDbContext db, Table table, ImportContext context, CancellationToken ct = default)
    {
        var problems = table.Problems;
        var areas = await db.Areas.AsNoTracking().ToDictionaryAsync(a => a.Code, ct);
        var allowed = await ImportScope.ForAsync(db, context, await db.LoadAreaTreeAsync(ct), ct);
        var rows = new List<(int Number, Unit Unit)>();
        var seen = new Dictionary<string, int>();
        foreach (var tableRow in table.Rows)
        {
            var r = new RowReader(table, tableRow, problems);
            var code = r.Code(Code);
            var name = r.RequiredText(Name);
            var kind = ParseKind(r);
            var areaCode = r.Code(AreaCode);
            var union = r.Boolean(Union) ?? false;
            var headcount = r.WholeNumber(Headcount, 0, int.MaxValue);
            string? email = null;
            // The column holds 256 characters (an address is at most 254 by RFC 5321): a longer one is refused here, named, not by the database.
            if (r.Text(Email, 256) is { } text)
            {
                if (Cells.TryEmail(text, out var address, out var error))
                    email = address;
                else
                    r.Problem(Email, error);
            }

            var from = r.Date(From);
            var to = r.Date(To);
            if (from is not null && to is not null && to < from)
                r.Problem(To, $"active_to {to:yyyy-MM-dd} is before active_from {from:yyyy-MM-dd}");

            // An area outside the principal's answers as an unknown one, before anything else is said of it.
            Area? area = null;
            if (areaCode is not null && (!areas.TryGetValue(areaCode, out area) || (allowed is not null && !allowed.ContainsOnAnyDay(area.Id))))
            {
                r.Problem(AreaCode, allowed is null
                    ? $"unknown area {areaCode}; import it with 'qcdc import areas' first"
                    : $"unknown area {areaCode}, or outside your area; you may import units of your own area only");
                area = null;
            }
            else if (area is not null && !area.Overlaps(from ?? DateOnly.MinValue, to ?? DateOnly.MaxValue))
                r.Problem(AreaCode, $"area {area.Code} did not exist while the unit was active; check active_from/active_to or the area's validity");

            if (code is not null && !seen.TryAdd(code, r.Number))
                r.Problem(Code, $"duplicate row: unit {code} is already on row {seen[code]}; keep one");
            else if (code is not null && name is not null && kind is not null && area is not null)
            {
                rows.Add((r.Number, new Unit
                {
                    Code = code, Name = name, Kind = kind.Value, AreaId = area.Id, HasTradeUnion = union,
                    Headcount = (int?)headcount, ContactEmail = email, ActiveFrom = from, ActiveTo = to,
                }));
            }
        }

        problems.ThrowIfAny();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Read without tracking: a million stored units are looked up, only the changed ones are written.
        var stored = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Code, ct);
        int inserted = 0, updated = 0, unchanged = 0;
        var fresh = new List<Unit>();
        foreach (var (number, unit) in rows)
        {
            if (!stored.TryGetValue(unit.Code, out var existing))
            {
                fresh.Add(unit);
                inserted++;
                continue;
            }

            if (allowed is not null && !allowed.ContainsOnAnyDay(existing.AreaId))
                throw new ImportRejectedException(table.File, [new ImportProblem(table.File, number, "code", $"the code {unit.Code} cannot be used in your area; give the unit a code of its own (you may change units of your own area only)")]);
            if (Same(existing, unit))
            {
                unchanged++;
                continue;
            }

            unit.Id = existing.Id;
            db.Units.Update(unit);
            updated++;
        }

        await db.SaveChangesAsync(ct);
        await BulkInserter.InsertAsync(db, fresh, ct);
        await transaction.CommitAsync(ct);
        return new ImportSummary(ImportKind.Units, table.File, rows.Count, inserted, updated, unchanged);
    }

    public static UnitKind? ParseKind(string text) => Text.Fold(text).Replace(" ", "", StringComparison.Ordinal) switch
    {
        "commune" or "xa" => UnitKind.Commune,
        "stateagency" or "cq" => UnitKind.StateAgency,
        "publicserviceunit" or "sn" => UnitKind.PublicServiceUnit,
        "stateenterprise" or "dnnn" => UnitKind.StateEnterprise,
        "nonstateenterprise" or "dn" => UnitKind.NonStateEnterprise,
        "armedforces" or "ll" => UnitKind.ArmedForces,
        "village" or "th" => UnitKind.Village,
        "frontandmassorganisations" or "mt" or "mattran" => UnitKind.FrontAndMassOrganisations,
        "massmobilisationboard" or "dv" or "bandanvan" => UnitKind.MassMobilisationBoard,
        _ => null,
    };

    private static UnitKind? ParseKind(RowReader r)
    {
        var text = r.RequiredText(Kind);
        if (text is null)
            return null;
        var kind = ParseKind(text);
        if (kind is null)
            r.Problem(Kind, $"'{text}' is not a unit kind; write one of {string.Join(", ", Enum.GetNames<UnitKind>())} (or XA, CQ, SN, DNNN, DN, LL, TH, MT, DV)");
        return kind;
    }

    private static bool Same(Unit a, Unit b) =>
        a.Name == b.Name && a.Kind == b.Kind && a.AreaId == b.AreaId && a.HasTradeUnion == b.HasTradeUnion && a.Headcount == b.Headcount
        && a.ContactEmail == b.ContactEmail && a.ActiveFrom == b.ActiveFrom && a.ActiveTo == b.ActiveTo;
}
