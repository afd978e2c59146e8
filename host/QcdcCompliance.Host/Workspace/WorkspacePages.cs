using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using QcdcCompliance.Reports;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Dashboard;
using QcdcCompliance.Host.Dashboard.Pages;
using QcdcCompliance.Host.Workspace.Pages;
using QcdcCompliance.Import;
using QcdcCompliance.Jobs;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Workspace;

/// <summary>
/// The reporting officers' pages under <c>/workspace</c>: where the area's units stand per open period, the upload of a
/// filled template, and each unit's own page with its entry form and findings. Every write goes through the one import
/// path (<see cref="ImportService"/>), restricted to the principal's area, stored with its identity, the file's name or
/// "form" as the source; every form carries an antiforgery token, checked before anything is read.
/// </summary>
public static class WorkspacePages
{
    /// <summary>Units listed per period on the home page (missing first); the template and the API carry them all.</summary>
    public const int UnitsListed = 300;

    /// <summary>The source a change made on a unit's page is recorded with (DataValueAudits.Source).</summary>
    public const string FormSource = "form";

    public static async Task<IResult> Home(HttpContext http, string? period, string? area, CompletenessQueries completeness, PeriodCalendar calendar,
        IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        if (scope.Resolve(area, period) is not { } chosen)
            return Message(view, view.T("Không tìm thấy", "Not found"), view.T($"Không có địa bàn {area} trong phạm vi của bạn.", $"There is no area {area} in your area."), 404);

        if (PeriodCode.TryParse((period ?? "").Trim().ToUpperInvariant(), out var asked) && OutsideItsLife(view, scope.Tree, chosen, calendar.Create(asked), clock) is { } outside)
            return outside;

        var codes = string.IsNullOrWhiteSpace(period) ? OpenPeriodCodes(http, calendar, clock) : [period.Trim().ToUpperInvariant()];
        var views = new List<CompletenessView>();
        var notes = new List<string>();
        foreach (var code in codes)
        {
            try
            {
                views.Add(await completeness.ForAreaAsync(code, chosen.Code, ct));
            }
            catch (EvaluationRequestException e) when (!string.IsNullOrWhiteSpace(period))
            {
                return Message(view, view.T("Không tìm thấy", "Not found"), Said(view, e), 404);
            }
            catch (EvaluationRequestException e)
            {
                notes.Add(e.Message);
            }
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        // The periods the area can be opened for, as a unit's page offers its own: those on whose last day it lies in a
        // province and in the reader's area (a commune made by the 2025 reform is not offered 2020, which would only answer
        // that it did not exist), the half-year running today among them.
        var running = calendar.RunningHalfYear(DisplayFormat.LocalDay(clock.GetUtcNow()));
        bool Offered(Period p) => scope.Tree.ProvinceOn(chosen.Id, p.End) is not null && scope.Resolve(chosen.Code, p.Code) is not null;
        var known = (await db.Periods.AsNoTracking().OrderByDescending(p => p.Start).ThenBy(p => p.Type).ToListAsync(ct)).Where(Offered).Select(p => p.Code).ToList();
        if (!known.Contains(running.Code) && Offered(running))
            known.Add(running.Code);
        // A unit listed for a past period that has moved out of the area since: its page and template for that period
        // stay the area's (ReportableUnitAsync), and the list says that it sits elsewhere now.
        var listed = views.SelectMany(v => v.Units.Take(UnitsListed)).Select(u => u.UnitCode).Distinct().ToList();
        var movedAway = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in listed.Chunk(500))
        {
            foreach (var u in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Code)).Select(u => new { u.Code, u.AreaId }).ToListAsync(ct))
            {
                if (!scope.Sees(u.AreaId))
                    movedAway.Add(u.Code);
            }
        }

        return Page<WorkspacePage>(view, new WorkspaceModel(chosen, views, known, UnitsListed)
            { MovedAway = movedAway, Running = known.Contains(running.Code) ? running.Code : null });
    }

    /// <summary>
    /// The page of an area asked for a period on whose last day it did not exist (the engine refuses the read in English),
    /// in the page's language: an area abolished says when it ended and what it became, as the dashboard's overview does;
    /// one made later (a commune of the 2025 reform asked for 2020) says from when it exists. Null when it lies in a
    /// province then, or when neither is the reason (left to the engine's words); a period not begun is told so first, as
    /// the engine's refusal says it.
    /// </summary>
    private static RazorComponentResult? OutsideItsLife(DashboardView view, AreaTree tree, Area area, Period period, TimeProvider clock)
    {
        if (tree.ProvinceOn(area.Id, period.End) is not null || !period.HasBegun(clock))
            return null;
        var (back, backText) = (view.Href("/workspace", ("area", area.Code)), view.T("Về trang báo cáo số liệu", "Back to the workspace"));
        if (AreaEnded.Of(tree, area, period) is { } ended)
            return DashboardPages.Message(view, view.T("Địa bàn đã kết thúc hoạt động", "Area abolished"), view.W.AreaEndedInFull(ended, period), 404, back, backText);
        if (area.ValidFrom is { } from && from > period.End)
            return DashboardPages.Message(view, view.T("Địa bàn chưa được thành lập trong kỳ này", "The area did not exist in this period"), view.T(
                $"{area.Name} được thành lập từ ngày {view.F.Date(from)}: trong {view.PeriodInSentence(period.Code)} chưa có địa bàn này, nên không có đơn vị nào báo cáo cho địa bàn. "
                + $"Chọn một kỳ báo cáo kết thúc từ ngày {view.F.Date(from)} trở đi.",
                $"{area.Name} was established on {view.F.Date(from)}: it did not exist in {view.PeriodInSentence(period.Code)}, so no unit reports for it then. "
                + $"Choose a period that ends on {view.F.Date(from)} or later."), 404, back, backText);
        return null;
    }

    /// <summary>
    /// A template to download from a page or an e-mail: a unit's own (one row, what the alert and the reminder link to) or
    /// an area's (the principal's own by default). Behind the sign-in, so that a link opened from an e-mail signs in first.
    /// </summary>
    public static async Task<IResult> Template(HttpContext http, string? period, string? unit, string? area, string? format, ReportingTemplates templates,
        PeriodCalendar calendar, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        if (string.IsNullOrWhiteSpace(period) || !TemplateWriter.TryParseFormat(format, out var kind))
            return Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), view.T("Cần kỳ báo cáo và định dạng tệp (xlsx hoặc csv).", "A period and a format (xlsx or csv) are needed."), 400);
        try
        {
            if (string.IsNullOrWhiteSpace(unit))
            {
                if (scope.Resolve(area, period) is not { } chosen)
                    return Message(view, view.T("Không tìm thấy", "Not found"), view.T($"Không có địa bàn {area} trong phạm vi của bạn.", $"There is no area {area} in your area."), 404);
                if (PeriodCode.TryParse(period.Trim().ToUpperInvariant(), out var asked) && OutsideItsLife(view, scope.Tree, chosen, calendar.Create(asked), clock) is { } outside)
                    return outside;
                return await TemplatesApi.FileAsync(templates, period.Trim(), chosen.Code, kind, ct);
            }

            if (await ReportableUnitAsync(scope, unit, period, calendar, contexts, ct) is not { } found)
                return NoUnit(view, unit, period);
            if (await templates.ForUnitAsync(period.Trim().ToUpperInvariant(), found.Code, ct) is not { } template)
                return NotActive(view, found, period);
            var file = new MemoryStream();
            TemplateWriter.Write(template, kind, file);
            file.Position = 0;
            return TypedResults.File(file, TemplateWriter.ContentType(kind), $"qcdc-mau-{template.Period.Code}-{found.Code}.{TemplateWriter.Extension(kind)}");
        }
        catch (EvaluationRequestException e)
        {
            return Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), Said(view, e), 400);
        }
    }

    public static IResult UploadForm(HttpContext http, string? period) =>
        Page<UploadPage>(DashboardView.For(http), new UploadModel(period, null, null, [], 0, null));

    public static async Task<IResult> Upload(HttpContext http, IAntiforgery antiforgery, ImportService imports, ImportSettings settings, ImportGate gate,
        IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, ILogger<ImportService> log, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        // The file's limit is the API's (Imports:MaxBodyBytes), raised before the antiforgery check reads the form: under
        // the server's default (30,000,000 bytes) a larger file failed that read and was refused as a missing token.
        // A declared length over it is answered without reading anything; a chunked body, when the read passes it.
        if (http.Request.ContentLength is { } declared && declared > settings.MaxBodyBytes)
            return TooLarge(view, settings);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = settings.MaxBodyBytes;
        if (http.Features.Get<IFormFeature>() is null or { HasFormContentType: true, Form: null })
            http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = settings.MaxBodyBytes }));
        try
        {
            if (!await ValidFormAsync(antiforgery, http))
                return Refused(view);
        }
        catch (Exception e) when (BodyTooLarge(e))
        {
            return TooLarge(view, settings);
        }

        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        var form = await http.Request.ReadFormAsync(ct);
        var period = form["period"].FirstOrDefault();
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
            return Page<UploadPage>(view, new UploadModel(period, null, null, [], 0, view.T("Chưa chọn tệp, hoặc tệp rỗng.", "No file was chosen, or it is empty.")), 400);

        using var slot = gate.TryEnter(http.User.PrincipalIdOf() ?? http.User.Describe(), out var busy);
        if (slot is null)
            return Page<UploadPage>(view, new UploadModel(period, null, null, [], 0, view.T("Đang có tệp khác của bạn được xử lý; thử lại sau ít giây.", $"Busy: {busy}.")), 429);

        var name = FileName(file.FileName);
        byte[] bytes;
        await using (var stream = file.OpenReadStream())
        {
            bytes = new byte[file.Length];
            await stream.ReadExactlyAsync(bytes, ct);
        }

        var context = Context(http, scope, settings, clock);
        try
        {
            var summary = await imports.ImportAsync(ImportKind.Values, name, bytes, context, ct);
            log.LogInformation("Write by {Principal}: {Action} {Detail}", http.User.Describe(), "imported values from the workspace", LogText.Escape(summary.ToString()));
            return Page<UploadPage>(view, new UploadModel(period, summary, name, [], 0, null));
        }
        catch (ImportRejectedException e)
        {
            log.LogInformation("Write by {Principal}: {Action} {Detail}", http.User.Describe(), "refused values import from the workspace", LogText.Escape($"{e.File}: {e.Total} problem(s)"));
            // The units the problems name, by name with their code, as the entry form and the sheet's rows name them; a
            // unit outside the principal's area keeps its bare code (its name is not the principal's to read).
            var codes = e.Problems.Select(p => p.Unit).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            await using var db = await contexts.CreateDbContextAsync(ct);
            var names = (await db.Units.AsNoTracking().Where(u => codes.Contains(u.Code)).Select(u => new { u.Code, u.Name, u.AreaId }).ToListAsync(ct))
                .Where(u => scope.Sees(u.AreaId)).ToDictionary(u => u.Code, u => u.Name, StringComparer.Ordinal);
            return Page<UploadPage>(view, new UploadModel(period, null, e.File, e.Problems.Select(p => ProblemLine.Named(p, names.GetValueOrDefault)).ToList(), e.NotListed, null), 422);
        }
    }

    public static async Task<IResult> Unit(HttpContext http, string code, string? period, string? saved, ReportingTemplates templates, FindingQueries findings,
        PeriodCalendar calendar, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        var chosen = string.IsNullOrWhiteSpace(period) ? OpenPeriodCodes(http, calendar, clock).FirstOrDefault() ?? "" : period.Trim().ToUpperInvariant();
        // saved binds in the handler, as /runs?before does: ?saved=abc is then a page saying what it is, not a bare 400.
        int? savedCount = null;
        if (!string.IsNullOrEmpty(saved))
        {
            if (!int.TryParse(saved, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                return NotASavedCount(view, code, chosen, saved);
            savedCount = parsed;
        }

        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        var unit = await ReportableUnitAsync(scope, code, chosen, calendar, contexts, ct);
        if (unit is null)
            return NoUnit(view, code, chosen);
        var summary = savedCount is { } n ? view.T($"{n} giá trị mới hoặc thay đổi; việc đánh giá lại đã được xếp lịch.", $"{n} value(s) new or changed; the re-evaluation is queued.") : null;
        return await UnitPageAsync(view, scope, unit, chosen, templates, findings, calendar, contexts, clock, null, [], savedCount is not null, summary, 200, ct);
    }

    /// <summary>
    /// A <c>saved</c> that is no count (<c>/workspace/units/XA1?saved=abc</c>, an address typed or cut short): a worded 400
    /// that says what it is, with the unit's page to go to, as <c>/runs?before=abc</c> is answered.
    /// </summary>
    private static RazorComponentResult NotASavedCount(DashboardView view, string code, string period, string text) =>
        DashboardPages.Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), view.T(
                $"Tham số saved của địa chỉ là số giá trị vừa lưu từ biểu mẫu của đơn vị (một số nguyên không âm, ví dụ saved=3); '{text}' không phải là số. Mở lại trang của đơn vị để xem và nhập số liệu.",
                $"The address's saved is the number of values the unit's form has just saved (a whole number, saved=3 say); '{text}' is not one. Open the unit's page again to see and enter its figures."),
            400, view.Href($"/workspace/units/{Uri.EscapeDataString(code)}", ("period", period)), view.T("Trang của đơn vị", "The unit's page"));

    public static async Task<IResult> SaveUnit(HttpContext http, string code, IAntiforgery antiforgery, ImportService imports, ImportSettings settings,
        ReportingTemplates templates, FindingQueries findings, PeriodCalendar calendar, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock,
        ILogger<ImportService> log, CancellationToken ct)
    {
        var view = DashboardView.For(http);
        if (!await ValidFormAsync(antiforgery, http))
            return Refused(view);
        if (await DashboardScope.ForAsync(http, contexts, ct) is not { } scope)
            return Forbidden(view);
        var form = await http.Request.ReadFormAsync(ct);
        var period = (form["period"].FirstOrDefault() ?? "").Trim().ToUpperInvariant();
        var unit = await ReportableUnitAsync(scope, code, period, calendar, contexts, ct);
        if (unit is null)
            return NoUnit(view, code, period);
        ReportingTemplate? template;
        try
        {
            template = await templates.ForUnitAsync(period, unit.Code, ct);
        }
        catch (EvaluationRequestException e)
        {
            return Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), Said(view, e), 400);
        }

        if (template is null)
            return NotActive(view, unit, period);

        // What was typed, field by field: the open fields only (a closed one is not in the form; one forged in is ignored).
        var row = template.Rows[0];
        var entered = new Dictionary<string, string?>(StringComparer.Ordinal);
        var rows = new List<Dictionary<string, string>>();
        for (var c = 0; c < template.Columns.Count; c++)
        {
            var indicator = template.Columns[c];
            var text = form[indicator.Code].FirstOrDefault()?.Trim();
            entered[indicator.Code] = text;
            if (row.Cells[c] == TemplateCell.Open && !string.IsNullOrEmpty(text))
                rows.Add(new() { ["unit_code"] = unit.Code, ["period"] = template.Period.Code, ["indicator"] = indicator.Code, ["value"] = text });
        }

        if (rows.Count == 0)
            return await UnitPageAsync(view, scope, unit, period, templates, findings, calendar, contexts, clock, entered,
                [view.T("Chưa có giá trị nào để lưu: điền ít nhất một ô.", "Nothing to save: fill in at least one field.")], false, null, 422, ct, errors: null);

        // The fields are text an officer typed, sent as JSON rows but read as a workbook's text cell is, by the file
        // import's rule: "2.000" (two thousand in Vietnamese, two in English) is refused naming both readings, not stored as 2.
        var context = Context(http, scope, settings, clock) with { Numbers = Import.Files.NumberConvention.DecimalPointUnsure };
        try
        {
            var summary = await imports.ImportAsync(ImportKind.Values, FormSource, JsonSerializer.SerializeToUtf8Bytes(rows), context, ct);
            log.LogInformation("Write by {Principal}: {Action} {Detail}", http.User.Describe(), $"saved values of {unit.Code} from its page", LogText.Escape(summary.ToString()));
            return Results.Redirect($"/workspace/units/{Uri.EscapeDataString(unit.Code)}?period={template.Period.Code}&saved={summary.Inserted + summary.Updated}"
                                    + (view.Language == Reports.ReportLanguage.En ? "&lang=en" : ""));
        }
        catch (ImportRejectedException e) when (e.Problems.Any(ImportWording.IsSignOffLock))
        {
            // A signed-off period refuses the whole form whatever its fields hold: said once, as the page's banner says it
            // (who by name, when in Viet Nam time, who reopens it), not as a field to fix.
            var locks = e.Problems.Where(ImportWording.IsSignOffLock).Select(p => view.T(ImportWording.Vietnamese(p), ImportWording.English(p))).Distinct().ToList();
            // The figures shown are the stored ones, locked: what was typed cannot be saved until the period is reopened.
            return await UnitPageAsync(view, scope, unit, period, templates, findings, calendar, contexts, clock, null, locks, false, null, 422, ct, refusedLocked: true);
        }
        catch (ImportRejectedException e)
        {
            // A JSON row is the position of its element: the field it came from, when the problem is its value's. One about
            // the row's period (the period not begun) is the whole form's, said once above it.
            var labels = template.Columns.ToDictionary(c => c.Code, c => view.T(c.NameVi, c.NameEn), StringComparer.Ordinal);
            var errors = new Dictionary<string, string>(StringComparer.Ordinal);
            var other = new List<string>();
            foreach (var p in e.Problems)
            {
                var text = ImportWording.OnForm(p, view.Language, code => labels.GetValueOrDefault(code) ?? view.T(IndicatorCatalogue.Get(code).NameVi, IndicatorCatalogue.Get(code).NameEn));
                if (p.Row >= 1 && p.Row <= rows.Count && p.Column != "period")
                    errors[rows[p.Row - 1]["indicator"]] = text;
                else if (!other.Contains(text))
                    other.Add(text);
            }

            other.InsertRange(0, errors.Select(kv => $"{labels.GetValueOrDefault(kv.Key, kv.Key)}: {kv.Value}"));
            return await UnitPageAsync(view, scope, unit, period, templates, findings, calendar, contexts, clock, entered, other, false, null, 422, ct, errors);
        }
    }

    private static async Task<IResult> UnitPageAsync(DashboardView view, DashboardScope scope, Unit unit, string period, ReportingTemplates templates, FindingQueries findings,
        PeriodCalendar calendar, IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock, Dictionary<string, string?>? entered, IReadOnlyList<string> formErrors, bool saved,
        string? summary, int status, CancellationToken ct, Dictionary<string, string>? errors = null, bool refusedLocked = false)
    {
        ReportingTemplate? template;
        try
        {
            template = await templates.ForUnitAsync(period, unit.Code, ct);
        }
        catch (EvaluationRequestException e)
        {
            return Message(view, view.T("Yêu cầu không hợp lệ", "Bad request"), Said(view, e), 400);
        }

        if (template is null)
            return await ClosedInPeriodAsync(view, unit, period, findings, contexts, ct) ?? NotActive(view, unit, period);
        var row = template.Rows[0];
        var fields = template.Columns.Select((indicator, c) => new EntryField(indicator, row.Cells[c] == TemplateCell.Open,
                entered is not null ? entered.GetValueOrDefault(indicator.Code) : row.Values[c] is { } v ? TemplateWriter.Show(indicator, v) : null,
                errors?.GetValueOrDefault(indicator.Code)))
            .ToList();

        await using var db = await contexts.CreateDbContextAsync(ct);
        // The periods the unit can be asked for: those it is active in on their last day (a commune closed by the 2025
        // merger is not offered 2026S1, which would only answer that it is not active), and sat in the principal's area
        // then (a unit moved in is not offered the periods its old area reports).
        var history = await UnitHistoryRows.FromAsync(db, DateOnly.MinValue, ct);
        // The half-year running today is offered too (stored or not, judged the same way): an officer enters its figures as they come.
        var running = calendar.RunningHalfYear(DisplayFormat.LocalDay(clock.GetUtcNow()));
        bool Offered(Period p) => unit.ActiveAt(p) && scope.SeesOn(history.AreaOn(unit.Id, unit.AreaId, p.End), p.End);
        var periods = (await db.Periods.AsNoTracking().OrderByDescending(p => p.Start).ThenBy(p => p.Type).ToListAsync(ct))
            .Where(Offered).Select(p => p.Code).ToList();
        if (!periods.Contains(running.Code) && Offered(running))
            periods.Add(running.Code);
        if (!periods.Contains(template.Period.Code))
            periods.Insert(0, template.Period.Code);
        // Late or on time as the workspace's list, the API and the CLI say it: by when each value was first reported, so a
        // correction after the deadline (a period reopened) does not make the unit late here either.
        var (stored, late) = await CompletenessQueries.OfUnitAsync(db, template.Period, unit.Id, ct);
        var owed = row.Cells.Count(c => c == TemplateCell.Open);
        var reported = row.Cells.Where((c, i) => c == TemplateCell.Open && row.Values[i] is not null).Count();
        var state = CompletenessQueries.StateOf(owed, reported, late);
        var submission = new UnitSubmission(unit.Code, unit.Name, unit.Kind, template.Area.Code, template.Area.Name, owed, reported,
            template.Columns.Where((c, i) => row.Cells[i] == TemplateCell.Open && row.Values[i] is null).Select(c => c.Code).ToList(), stored, state);
        var (locked, lockedFields) = await LockedAsync(view, db, unit, template.Period, fields.Where(f => f.Open).Select(f => f.Indicator).ToList(), ct);
        // A period not stored (read, never created, by the page) has no findings. What was resolved stays listed after later
        // runs of the period (as on the dashboard's unit page): the officer sees what was put right, or why it left.
        IReadOnlyList<FindingView> found = template.Period.Id == 0 ? []
            : await findings.ListAsync(new FindingFilter(template.Period.Code) { Unit = unit.Code, KeepResolved = true }, ct);
        var line = await UnitFindingLine.WordingAsync(view, db, ct);
        return Page<UnitEntryPage>(view, new UnitEntryModel(unit, template.Period, periods, fields, saved, summary, formErrors, found.Select(line).ToList(), submission)
            { Locked = locked, LockedFields = lockedFields, RefusedLocked = refusedLocked, Running = periods.Contains(running.Code) ? running.Code : null }, status);
    }

    /// <summary>
    /// The page of a unit that closed during the period (active on its first day, not on its last): not judged for the
    /// period, as its findings' resolution says, but its page opens, as the link of an alert sent before the closing does.
    /// It says the day the unit was active until, shows what it had reported (no form: the period does not ask it) and
    /// its findings. Null when the unit was not active in the period at all.
    /// </summary>
    private static async Task<IResult?> ClosedInPeriodAsync(DashboardView view, Unit unit, string periodCode, FindingQueries findings,
        IDbContextFactory<QcdcDbContext> contexts, CancellationToken ct)
    {
        if (unit.ActiveTo is not { } to)
            return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == periodCode, ct);
        if (period is null || !Dates.Overlaps(unit.ActiveFrom, to, period.Start, period.End) || to >= period.End)
            return null;
        var values = (await db.DataValues.AsNoTracking().Where(v => v.UnitId == unit.Id && v.PeriodId == period.Id).Select(v => new { v.IndicatorId, v.Value }).ToListAsync(ct))
            .ToDictionary(v => v.IndicatorId, v => v.Value);
        var fields = IndicatorCatalogue.All.Where(i => values.ContainsKey(i.Id))
            .Select(i => new EntryField(i, true, TemplateWriter.Show(i, values[i.Id]), null)).ToList();
        var found = await findings.ListAsync(new FindingFilter(period.Code) { Unit = unit.Code }, ct);
        var line = await UnitFindingLine.WordingAsync(view, db, ct);
        return Page<UnitEntryPage>(view, new UnitEntryModel(unit, period, [period.Code], fields, false, null, [], found.Select(line).ToList(), null) { ClosedOn = to });
    }

    /// <summary>
    /// Why the unit's values of the period cannot be saved, when a committee signed off an area it sits in: said before
    /// the officer types, in the words the refusal of a save uses (who by name, when in Viet Nam time, who reopens it);
    /// and which fields it locks when not all of them (a first half locked by its year alone: the counts the year sums,
    /// <see cref="SignOffLocks.YearReads"/>, not its states and yes/no answers), null when every field.
    /// </summary>
    private static async Task<(string? Banner, IReadOnlySet<string>? Fields)> LockedAsync(DashboardView view, QcdcDbContext db, Unit unit, Period period,
        IReadOnlyList<Indicator> open, CancellationToken ct)
    {
        if (period.Id == 0 || open.Count == 0)
            return (null, null);
        var tree = await db.LoadAreaTreeAsync(ct);
        var locks = await SignOffLocks.InForceAsync(db, tree, [period], ct);
        var byField = open.Select(i => (Indicator: i, SignOff: locks.Locking(unit.Id, unit.AreaId, period, i.Id))).Where(f => f.SignOff is not null).ToList();
        if (byField.Count == 0)
            return (null, null);
        var signOff = byField[0].SignOff!;
        var partial = byField.Count < open.Count;
        var area = tree[signOff.AreaId].Name;
        var (by, at) = (CommitteeAct.NameOf(signOff.By), VietnamTime.Local(signOff.At));
        var (time, day) = (at.ToString("HH:mm", CultureInfo.InvariantCulture), at.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
        // A half-year is locked by its own sign-off or by its year's, which reads it: name the period that was signed.
        var signed = signOff.PeriodId == period.Id ? period.Code : (await db.Periods.AsNoTracking().SingleAsync(p => p.Id == signOff.PeriodId, ct)).Code;
        var (lockedVi, lockedEn) = signed == period.Code ? ("nên đã bị khóa: không lưu được", "so they are locked and cannot be saved")
            : partial
                ? ($"nên các số liệu {view.PeriodInSentence(period.Code)} mà {view.PeriodInSentence(signed)} cộng dồn đã bị khóa, không lưu được: "
                   + $"{string.Join("; ", byField.Select(f => f.Indicator.NameVi))}. Các số liệu khác của kỳ (năm không đọc) vẫn lưu được",
                    $"so those of {view.PeriodInSentence(period.Code)} that it adds up are locked and cannot be saved: "
                    + $"{string.Join("; ", byField.Select(f => f.Indicator.NameEn))}. The period's other figures, which the year does not read, can still be saved")
                : ($"nên số liệu {view.PeriodInSentence(period.Code)}, mà {view.PeriodInSentence(signed)} tổng hợp, đã bị khóa: không lưu được",
                    $"so those of {view.PeriodInSentence(period.Code)}, which it reads, are locked and cannot be saved");
        var banner = view.T(
            $"Số liệu {view.PeriodInSentence(signed)} của {area} đã được ký duyệt bởi {by} lúc {time} ngày {day} (giờ Việt Nam) {lockedVi}. "
            + $"Muốn sửa, cần một thành viên Ban Chỉ đạo của {area} mở lại kỳ này (ghi rõ lý do).",
            $"The figures of {area} for {view.PeriodInSentence(signed)} were signed off by {by} at {time} on {day} (Viet Nam time), {lockedEn}. "
            + $"To change them, a committee member of {area} must first reopen the period, with a reason.");
        return (banner, partial ? byField.Select(f => f.Indicator.Code).ToHashSet(StringComparer.Ordinal) : null);
    }

    /// <summary>The import context of the principal: its identity, restricted to its area unless it is a national administrator.</summary>
    private static ImportContext Context(HttpContext http, DashboardScope scope, ImportSettings settings, TimeProvider clock) =>
        new(http.User.Describe(), clock)
        {
            RestrictToAreaId = http.User.RoleOf() == Role.NationalAdmin ? null : scope.Root.Id,
            Limits = settings.Limits(),
        };

    /// <summary>
    /// The unit when the principal reports it for the period: where the unit sat on the period's last day (moved since or
    /// not) lies in the principal's area, as the import that stores its values judges (<see cref="ImportScope"/>). So the
    /// area a unit moved out of keeps its form and template for the periods it sat there, the area it moved into has them
    /// from the move on, and every link the workspace lists for a period opens. A period that cannot be read (the page then
    /// says why) is judged by where the unit sits now.
    /// </summary>
    private static async Task<Unit?> ReportableUnitAsync(DashboardScope scope, string code, string? period, PeriodCalendar calendar,
        IDbContextFactory<QcdcDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var upper = code.Trim().ToUpperInvariant();
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == upper, ct);
        if (unit is null)
            return null;
        if (!PeriodCode.TryParse((period ?? "").Trim().ToUpperInvariant(), out var parsed))
            return scope.Sees(unit.AreaId) ? unit : null;
        var end = calendar.Create(parsed).End;
        var sat = (await UnitHistoryRows.FromAsync(db, end, ct)).AreaOn(unit.Id, unit.AreaId, end);
        return scope.SeesOn(sat, end) ? unit : null;
    }

    /// <summary>The periods whose reminders run today (from before the deadline until the open window ends); else the latest ended half-year.</summary>
    private static List<string> OpenPeriodCodes(HttpContext http, PeriodCalendar calendar, TimeProvider clock)
    {
        var options = http.RequestServices.GetService<JobOptions>() ?? new JobOptions();
        var open = new OpenPeriods(calendar, options, clock);
        var today = open.Today;
        var codes = open.ToRemind(today).OrderByDescending(p => p.End).ThenBy(p => p.Type).Select(p => p.Code).ToList();
        if (codes.Count == 0)
        {
            var half = today.Month <= 6 ? new PeriodCode(PeriodType.HalfYear, today.Year - 1, 2) : new PeriodCode(PeriodType.HalfYear, today.Year, 1);
            codes.Add(half.Code);
        }

        return codes;
    }

    /// <summary>The file's own name, without a path or control characters (it is shown in problems and stored in the audit table).</summary>
    private static string FileName(string? name)
    {
        var clean = new string(Path.GetFileName((name ?? "").Trim()).Where(c => !char.IsControl(c)).Take(200).ToArray());
        return clean.Length == 0 ? "values" : clean;
    }

    private static async Task<bool> ValidFormAsync(IAntiforgery antiforgery, HttpContext context)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(context);
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException && !BodyTooLarge(e))
        {
            return false;
        }
    }

    /// <summary>Whether the form could not be read because its body passed the request's limit (the antiforgery check wraps that failure).</summary>
    private static bool BodyTooLarge(Exception e) =>
        e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
        || e.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };

    private static RazorComponentResult Page<TPage>(DashboardView view, object model, int status = 200)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<TPage>(new Dictionary<string, object?> { ["View"] = view, ["Model"] = model }) { StatusCode = status };

    private static RazorComponentResult Message(DashboardView view, string title, string message, int status) =>
        Page<MessagePage>(view, new MessageModel(title, message), status);

    /// <summary>A refused request's reason in the page's language: the engine's English, worded in Vietnamese as the import's problems are.</summary>
    private static string Said(DashboardView view, EvaluationRequestException e) =>
        DashboardView.Capital(view.T(ImportWording.Vietnamese(e.Message), ImportWording.English(e.Message)));

    private static RazorComponentResult TooLarge(DashboardView view, ImportSettings settings) =>
        Page<UploadPage>(view, new UploadModel(null, null, null, [], 0, view.T(
            $"Tệp quá lớn; tối đa {settings.MaxBodyBytes:N0} byte. Chia thành nhiều tệp nhỏ hơn (ví dụ mỗi xã một tệp) rồi nộp lần lượt.",
            $"The file is too large; the limit is {settings.MaxBodyBytes:N0} bytes. Split it into smaller files (one per commune, say) and upload them one by one.")), 413);

    private static RazorComponentResult Refused(DashboardView view) =>
        Message(view, view.T("Yêu cầu bị từ chối", "Refused"), view.T(
            "Biểu mẫu không hợp lệ hoặc đã hết hạn (thiếu mã chống giả mạo); tải lại trang rồi gửi lại.",
            "The form is not valid or has expired (its antiforgery token is missing); reload the page and send it again."), 400);

    private static RazorComponentResult NoUnit(DashboardView view, string code, string? period) =>
        Message(view, view.T("Không tìm thấy", "Not found"), PeriodCode.TryParse((period ?? "").Trim().ToUpperInvariant(), out var p)
            ? view.T($"Không có đơn vị {code} trong địa bàn của bạn vào {view.PeriodInSentence(p.Code)} (số liệu của một đơn vị đã chuyển địa bàn do địa bàn nơi đơn vị thuộc vào cuối kỳ báo cáo).",
                $"There is no unit {code} in your area in {view.PeriodInSentence(p.Code)} (a unit that moved is reported, for each period, by the area it sat in on the period's last day).")
            : view.T($"Không có đơn vị {code} trong địa bàn của bạn.", $"There is no unit {code} in your area."), 404);

    private static RazorComponentResult NotActive(DashboardView view, Unit unit, string period) =>
        Message(view, view.T("Không có trong kỳ", "Not in the period"), view.T(
            $"Đơn vị {unit.Code} không hoạt động trong {view.PeriodInSentence(period)}, hoặc địa bàn của đơn vị không thuộc tỉnh nào vào cuối kỳ.",
            $"Unit {unit.Code} is not active in {view.PeriodInSentence(period)}, or its area lies in no province at the period's end."), 404);

    private static RazorComponentResult Forbidden(DashboardView view) =>
        Message(view, view.T("Không có quyền", "Forbidden"), view.T("Tài khoản đăng nhập không gắn với địa bàn nào.", "The account is bound to no area."), 403);
}
