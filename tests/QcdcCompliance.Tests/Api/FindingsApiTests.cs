using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

public sealed class FindingsApiTests
{
    /// <summary>Thousands of state agencies that reported nothing: each falls short of several targets.</summary>
    private static async Task<Engine> ManyFindingsAsync(Func<Task<Engine>> create, int units)
    {
        var engine = await create();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var csv = new StringBuilder(Province.Units);
        for (var i = 0; i < units; i++)
            csv.Append($"CQ-{i:00000},Cơ quan {i},StateAgency,{(i % 3) switch { 0 => "C1", 1 => "C2", _ => "C3" }},true,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", csv.ToString());
        await engine.LoadTargetSetsAsync();
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        return engine;
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Paging_through_10000_findings_returns_each_exactly_once_in_order_and_the_CSV_equals_the_CLIs(string provider)
    {
        var engine = await ManyFindingsAsync(provider == "Sqlite" ? () => Engine.SqliteAsync() : () => Engine.PostgresAsync("paging"), 3500);
        await using var bed = await ApiTestbed.StartAsync(engine);
        var expected = await engine.Findings.ListAsync(new FindingFilter("2020S1"));
        expected.Count.Should().BeGreaterThanOrEqualTo(10_000);
        var client = await bed.AsAsync(Role.Auditor, "P");

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync($"/api/findings?period=2020S1&limit=1000{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadAsync<FindingPage>();
            page.Items.Count.Should().BeLessThanOrEqualTo(1000);
            seen.AddRange(page.Items.Select(f => f.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        seen.Should().OnlyHaveUniqueItems().And.Equal(expected.Select(f => f.Id), "every finding once, in the CLI's order");
        pages.Should().Be((expected.Count + 999) / 1000);

        // The same filter as CSV: byte for byte what `qcdc findings --format csv` prints (FindingCsv over the same list).
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/findings?period=2020S1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Encoding.UTF8.GetBytes(FindingCsv.Write(expected)));

        // A district's every row (asked for as the district's areas and its units apart, sorted together, a chunk of
        // 5,000 at a time): the CLI's CSV of the district, byte for byte.
        var district = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Area = "D1" });
        district.Count.Should().BeGreaterThan(5000, "the CSV is written a chunk of 5,000 rows at a time and must cross a chunk");
        var ofDistrict = new HttpRequestMessage(HttpMethod.Get, "/api/findings?period=2020S1&area=D1");
        ofDistrict.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var districtCsv = await client.SendAsync(ofDistrict);
        districtCsv.StatusCode.Should().Be(HttpStatusCode.OK);
        (await districtCsv.Content.ReadAsByteArrayAsync()).Should().Equal(Encoding.UTF8.GetBytes(FindingCsv.Write(district)));
    }

    [Fact]
    public async Task Filters_narrow_the_list_and_a_finding_comes_with_its_evidence_and_explanation()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var client = await bed.AsAsync(Role.Auditor, "P");

        var byTarget = await (await client.GetAsync("/api/findings?period=2020S1&target=NQ02-1&state=new&severity=High")).ReadAsync<FindingPage>();
        byTarget.Items.Should().NotBeEmpty().And.OnlyContain(f => f.Target == "NQ02-1" && f.State == FindingState.New && f.Severity == Severity.High);
        byTarget.Items.Select(f => f.SubjectCode).Should().Contain("XA2");
        var byUnit = await (await client.GetAsync("/api/findings?period=2020S1&unit=xa2")).ReadAsync<FindingPage>();
        byUnit.Items.Should().NotBeEmpty().And.OnlyContain(f => f.SubjectCode == "XA2");
        (await client.GetAsync("/api/findings?period=2020S1&state=Open")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/api/findings?period=2031S1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/findings?period=2020S1&cursor=not-a-cursor")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var id = byTarget.Items.Single(f => f.SubjectCode == "XA2").Id;
        var detail = await (await client.GetAsync($"/api/findings/{id}")).ReadAsync<FindingDetailDto>();
        detail.Finding.Id.Should().Be(id);
        detail.Evidence.GetProperty("values").GetProperty("REGULATION_ISSUED").GetRawText().Should().Be("0", "a no is stored as 0");
        detail.Explanation.Should().StartWith($"Phát hiện #{id}: chỉ tiêu 1 (xây dựng quy chế dân chủ), 6 tháng đầu năm 2020\n")
            .And.Contain($"Finding #{id}: Target 1 (democracy regulations), the first half of 2020\n")
            .And.Contain("(bộ chỉ tiêu theo Nghị quyết 02-NQ/TU)", "the explanation names the target and its set as the report does; the codes are the DTO's");
        detail.RuleSetVersion.Should().HaveLength(64);

        var unitFindings = await (await client.GetAsync("/api/units/XA2/findings")).ReadAsync<List<FindingDto>>();
        unitFindings.Select(f => f.Id).Should().Contain(id);
        var unit = await (await client.GetAsync("/api/units/XA2")).ReadAsync<JsonElement>();
        unit.GetProperty("values").EnumerateArray().Should().Contain(v => v.GetProperty("indicator").GetString() == "REGULATION_ISSUED" && v.GetProperty("value").GetInt64() == 0);
        var compliance = await (await client.GetAsync("/api/compliance?period=2020S1")).ReadAsync<ComplianceDto>();
        var regulation = compliance.Targets.Single(t => t.Code == "NQ02-1");
        regulation.Area!.Area.Code.Should().Be("P");
        regulation.Children.Select(c => c.Area.Code).Should().Contain(["D1", "D2"]);
        regulation.Area.Short.Should().Be(regulation.Area.Population - regulation.Area.Met);
    }

    [Fact]
    public async Task Malformed_requests_are_answered_with_ProblemDetails()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "P");

        foreach (var response in new[]
                 {
                     await committee.PostAsync("/api/evaluations", new StringContent("{not json", Encoding.UTF8, "application/json")),
                     await committee.PostAsJsonAsync("/api/evaluations", new { period = "2020H1" }),
                     await committee.GetAsync("/api/findings"),
                     await committee.GetAsync("/api/findings?period=2020S1&limit=5000"),
                     await committee.GetAsync("/api/no-such-thing"),
                 })
        {
            ((int)response.StatusCode).Should().BeOneOf(400, 404);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
    }

    [Fact]
    public async Task A_missing_or_malformed_period_is_a_400_naming_the_parameter_before_the_endpoint_runs()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "P");

        foreach (var resource in new[] { "/api/compliance", "/api/completeness", "/api/findings" })
        {
            var missing = await committee.GetAsync(resource);
            missing.StatusCode.Should().Be(HttpStatusCode.BadRequest, resource);
            missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var errors = (await missing.ReadAsync<JsonElement>(HttpStatusCode.BadRequest)).GetProperty("errors");
            errors.EnumerateObject().Single().Value[0].GetString().Should().Be("period is required (e.g. ?period=2020S1)", resource);

            var malformed = await (await committee.GetAsync(resource + "?period=2020H1")).ReadAsync<JsonElement>(HttpStatusCode.BadRequest);
            malformed.GetProperty("errors").EnumerateObject().Single().Value[0].GetString().Should().Be("'2020H1' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");

            var unknown = await (await committee.GetAsync(resource + "?period=2020S1&area=NOWHERE")).ReadAsync<JsonElement>(HttpStatusCode.NotFound);
            unknown.GetProperty("detail").GetString().Should().Be("area NOWHERE is unknown or outside your area.");
        }
    }

    [Fact]
    public async Task What_does_not_bind_is_a_400_naming_the_parameter_and_what_it_takes_and_a_malformed_period_is_the_same_400_everywhere()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "P");
        var reporter = await bed.AsAsync(Role.Reporter, "P");

        // Each refusal: a 400 ValidationProblem whose one error names the parameter or field and says what it takes.
        async Task<(string Name, string Message)> Invalid(HttpResponseMessage response)
        {
            var problem = await response.ReadAsync<JsonElement>(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            problem.TryGetProperty("errors", out var errors).Should().BeTrue(problem.ToString());
            var error = errors.EnumerateObject().Single();
            return (error.Name, error.Value[0].GetString()!);
        }

        (await Invalid(await committee.GetAsync("/api/findings?period=2020S1&limit=abc")))
            .Should().Be(("limit", "limit 'abc' is not a whole number from 1 to 1000"));
        // Any query parameter given twice, whatever it takes (a number, a code, a period), by one rule.
        (await Invalid(await committee.GetAsync("/api/findings?period=2020S1&limit=2&limit=3")))
            .Should().Be(("limit", "limit is given 2 times; give it once (no parameter of the API takes more than one value)"));
        (await Invalid(await committee.GetAsync("/api/findings?period=2020S1&area=P&area=D1")))
            .Should().Be(("area", "area is given 2 times; give it once (no parameter of the API takes more than one value)"));
        (await Invalid(await committee.GetAsync("/api/completeness?period=2020S1&period=2020S2")))
            .Should().Be(("period", "period is given 2 times; give it once (no parameter of the API takes more than one value)"));
        (await Invalid(await committee.GetAsync("/api/runs?limit=1.5"))).Should().Be(("limit", "limit '1.5' is not a whole number from 1 to 1000"));
        (await Invalid(await committee.GetAsync("/api/areas/P?on=2025-02-30")))
            .Should().Be(("on", "on '2025-02-30' is not a date written yyyy-mm-dd that exists (e.g. 2025-07-01)"));
        (await Invalid(await committee.PostAsync("/api/signoffs", new StringContent("{\"period\":2020}", Encoding.UTF8, "application/json"))))
            .Should().Be(("period", "period is not a text in quotes (e.g. \"2020S1\")"));

        // A reason missing or too long: the request's field, in the API's words (the command line's option is not named).
        (await Invalid(await committee.PostAsJsonAsync("/api/signoffs/reopen", new { period = "2020S1", area = "D1" })))
            .Should().Be(("reason", "a reason of 1 to 2000 characters is required: why the committee reopens the signed figures"));
        (await Invalid(await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = new string('x', 2001) })))
            .Should().Be(("reason", "reason is 2001 characters long; a reason holds 1 to 2000 characters"));

        // A malformed period (a year 0000, fullwidth digits) is the same 400 at every endpoint that reads one.
        foreach (var bad in new[] { "0000S1", "２０２０S1" })
        {
            foreach (var resource in new[] { "/api/findings", "/api/compliance", "/api/completeness", "/api/runs", "/api/signoffs", "/api/templates", "/api/targets" })
                (await Invalid(await committee.GetAsync($"{resource}?period={Uri.EscapeDataString(bad)}")))
                    .Should().Be(("period", $"'{bad}' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)"), resource);
        }

        // A well-formed period never evaluated is a 404 that says so.
        var never = await (await committee.GetAsync("/api/findings?period=2019S1")).ReadAsync<JsonElement>(HttpStatusCode.NotFound);
        never.GetProperty("detail").GetString().Should().Be("period 2019S1 has not been evaluated; there is nothing to read yet.");

        // A file sent as a multipart form: 415 naming the content type sent and those taken.
        using var form = new MultipartFormDataContent { { new StringContent(Province.ValuesHeader), "file", "v.csv" } };
        var multipart = await reporter.PostAsync("/api/imports/values?file=v.csv", form);
        var unsupported = await multipart.ReadAsync<JsonElement>(HttpStatusCode.UnsupportedMediaType);
        unsupported.GetProperty("detail").GetString().Should().StartWith("a body of Content-Type 'multipart/form-data; boundary=")
            .And.Contain("POST /api/imports/values takes the file itself as the body, with Content-Type text/csv, application/json, ");
    }

    [Fact]
    public async Task A_run_lists_the_findings_as_it_left_them_so_an_auditor_follows_a_reopened_sign_off_to_what_it_signed()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "D1");
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        // D1 signs off on the first run, reopens, XA2's regulation is corrected and the period evaluated again.
        var signed = await (await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "Đã nhắc các đơn vị còn thiếu" }))
            .ReadAsync<JsonElement>();
        var signedRun = signed.GetProperty("signOff").GetProperty("runId").GetInt64();
        (await committee.PostAsJsonAsync("/api/signoffs/reopen", new { period = "2020S1", area = "D1", reason = "XA2 gửi lại" })).StatusCode.Should().Be(HttpStatusCode.OK);
        await bed.Engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n");
        await bed.Engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        var laterRun = (await (await auditor.GetAsync("/api/runs?period=2020S1")).ReadAsync<RunPage>()).Items[0].Id;
        laterRun.Should().BeGreaterThan(signedRun);

        // Today XA2's regulation is no longer open; the signed run still lists it, New as that run opened it.
        var current = await (await auditor.GetAsync("/api/findings?period=2020S1&target=NQ02-1&limit=1000")).ReadAsync<FindingPage>();
        current.Items.Should().Contain(f => f.SubjectCode == "XA2" && f.State == FindingState.Resolved);
        var asSigned = await (await auditor.GetAsync($"/api/findings?run={signedRun}&target=NQ02-1&limit=1000")).ReadAsync<FindingPage>();
        asSigned.Items.Should().ContainSingle(f => f.SubjectCode == "XA2").Which.State.Should().Be(FindingState.New);
        asSigned.Items.Should().NotContain(f => f.State == FindingState.Resolved, "the signed run was the first: it resolved nothing");
        asSigned.Items.Select(f => f.SubjectCode).Should().BeEquivalentTo(current.Items.Select(f => f.SubjectCode), "the rest carried on unchanged");
        asSigned.Items.Where(f => f.SubjectCode != "XA2").Should().OnlyContain(f => f.State == FindingState.New);

        // The later run: XA2 resolved by it, the rest continuing; with the period too, and paged as the current list is.
        var later = await (await auditor.GetAsync($"/api/findings?period=2020s1&run={laterRun}&target=NQ02-1&limit=1000")).ReadAsync<FindingPage>();
        later.Items.Should().ContainSingle(f => f.SubjectCode == "XA2").Which.State.Should().Be(FindingState.Resolved);
        later.Items.Where(f => f.State != FindingState.Resolved).Should().NotBeEmpty().And.OnlyContain(f => f.State == FindingState.Persisting);
        later.Items.Select(f => f.SubjectCode).Should().BeEquivalentTo(asSigned.Items.Select(f => f.SubjectCode), "what it did not resolve continued");
        (await (await auditor.GetAsync($"/api/findings?run={signedRun}&state=New&target=NQ02-1")).ReadAsync<FindingPage>()).Items.Should().Contain(f => f.SubjectCode == "XA2");
        var csv = await (await auditor.GetAsync($"/api/findings?run={signedRun}&format=csv")).Content.ReadAsStringAsync();
        csv.Should().Contain("XA2");

        // What is not a run is a 400 naming run; a run unknown or outside the caller's area a 404; a period not the run's a 400.
        foreach (var bad in new[] { "abc", "0", "-3" })
        {
            var problem = await (await auditor.GetAsync($"/api/findings?run={bad}")).ReadAsync<JsonElement>(HttpStatusCode.BadRequest);
            problem.GetProperty("errors").EnumerateObject().Single().Name.Should().Be("run", bad);
        }

        (await (await auditor.GetAsync("/api/findings?run=99999999")).ReadAsync<JsonElement>(HttpStatusCode.NotFound))
            .GetProperty("detail").GetString().Should().Be("run 99999999 is unknown or outside your area.");
        (await (await auditor.GetAsync($"/api/findings?run={signedRun}&period=2020S2")).ReadAsync<JsonElement>(HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("run")[0].GetString().Should().Be($"run {signedRun} is a run of 2020S1, not of 2020S2; give its period or leave period out");
        await QcdcCompliance.Tests.Security.OtherProvince.AddAsync(bed.Engine);
        var stranger = await bed.AsAsync(Role.Auditor, "Q");
        (await stranger.GetAsync($"/api/findings?run={signedRun}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_id_that_is_not_a_number_is_a_400_naming_id_not_a_404()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var committee = await bed.AsAsync(Role.Committee, "P");

        foreach (var (method, path) in new[] { ("GET", "/api/findings/abc"), ("GET", "/api/runs/abc"), ("POST", "/api/findings/abc/acknowledge"), ("POST", "/api/findings/1x/waive") })
        {
            var response = await committee.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { reason = "x" }) : null });
            var problem = await response.ReadAsync<JsonElement>(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var error = problem.GetProperty("errors").EnumerateObject().Single();
            error.Name.Should().Be("id", path);
            error.Value[0].GetString().Should().Be($"id '{path.Split('/')[3]}' is not a whole number", path);
        }

        (await committee.GetAsync("/api/findings/99999999")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a number that is no finding is still unknown");
    }

    [Fact]
    public async Task Completeness_pages_its_units_by_cursor_and_each_page_carries_the_whole_areas_figures()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var whole = await (await auditor.GetAsync("/api/completeness?period=2020S1&limit=1000")).ReadAsync<JsonElement>();
        var every = whole.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitCode").GetString()).ToList();
        every.Should().HaveCountGreaterThan(4).And.HaveCount(whole.GetProperty("totals").GetProperty("expected").GetInt32());
        whole.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
        (await (await auditor.GetAsync("/api/completeness?period=2020S1")).ReadAsync<JsonElement>()).GetProperty("limit").GetInt32().Should().Be(100);

        var walked = new List<string?>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await (await auditor.GetAsync($"/api/completeness?period=2020S1&limit=2{(next is null ? "" : "&cursor=" + next)}")).ReadAsync<JsonElement>();
            page.GetProperty("limit").GetInt32().Should().Be(2);
            page.GetProperty("units").GetArrayLength().Should().BeLessThanOrEqualTo(2);
            page.GetProperty("totals").GetRawText().Should().Be(whole.GetProperty("totals").GetRawText(), "the figures are the area's on every page");
            page.GetProperty("children").GetRawText().Should().Be(whole.GetProperty("children").GetRawText());
            walked.AddRange(page.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitCode").GetString()));
            next = page.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null && pages < 100);

        walked.Should().Equal(every, "each unit once, in the whole list's order");
        pages.Should().Be((every.Count + 1) / 2);
        foreach (var bad in new[] { "limit=0", "limit=1001", "cursor=not-a-cursor" })
            (await auditor.GetAsync($"/api/completeness?period=2020S1&{bad}")).StatusCode.Should().Be(HttpStatusCode.BadRequest, bad);
    }

    [Fact]
    public async Task Completeness_pages_list_a_unit_that_reports_between_two_pages_once_and_skip_none()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var auditor = await bed.AsAsync(Role.Auditor, "P");
        async Task<JsonElement> Page(string? cursor) =>
            await (await auditor.GetAsync($"/api/completeness?period=2020S1&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}")).ReadAsync<JsonElement>();

        // Walk the pages; after the first page that lists a unit that has reported nothing, that unit reports what it owes.
        var walked = new List<(string Code, string State)>();
        string? next = null, reported = null;
        var expected = 0;
        do
        {
            var page = await Page(next);
            expected = page.GetProperty("totals").GetProperty("expected").GetInt32();
            var units = page.GetProperty("units").EnumerateArray().ToList();
            walked.AddRange(units.Select(u => (u.GetProperty("unitCode").GetString()!, u.GetProperty("state").GetString()!)));
            if (reported is null && units.FirstOrDefault(u => u.GetProperty("state").GetString() == "Missing") is { ValueKind: JsonValueKind.Object } missing)
            {
                reported = missing.GetProperty("unitCode").GetString()!;
                var values = missing.GetProperty("missing").EnumerateArray().Select(i => i.GetString()!)
                    .Select(i => $"{reported},2020S1,{i},1,\n"); // 1: a count, yes (1/0), a share, and as many informed as to inform
                await bed.Engine.ImportAsync(ImportKind.Values, "late.csv", Province.ValuesHeader + string.Concat(values));
            }

            next = page.GetProperty("next").GetString();
        }
        while (next is not null && walked.Count < 1000);

        reported.Should().NotBeNull("the test province has units that reported nothing in 2020S1");
        (await Page(null)).GetProperty("totals").GetProperty("missing").GetInt32().Should().BeLessThan(
            walked.Count(w => w.State == "Missing"), "the unit did report between the pages");
        walked.Select(w => w.Code).Should().OnlyHaveUniqueItems("a unit whose state changed between two pages is listed once")
            .And.HaveCount(expected, "and none is skipped");
        walked.Where(w => w.Code == reported).Should().ContainSingle();
    }

    [Fact]
    public async Task Acknowledging_records_a_chained_action_and_never_edits_the_finding()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var before = await bed.FindingAsync("NQ02-1", "XA2");
        var committee = await bed.AsAsync(Role.Committee, "D1");

        var missing = await committee.PostAsJsonAsync($"/api/findings/{before.Id}/waive", new { reason = "  " });
        var response = await committee.PostAsJsonAsync($"/api/findings/{before.Id}/waive", new { reason = "Xã đã ban hành quy chế ngày 3/7" });

        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var action = await response.ReadAsync<FindingActionDto>();
        action.Kind.Should().Be(FindingActionKind.Waive);
        action.By.Should().Contain("committee@D1");
        var after = await bed.FindingAsync("NQ02-1", "XA2");
        JsonSerializer.Serialize(after).Should().Be(JsonSerializer.Serialize(before), "an action never edits the finding");
        await using (var db = bed.Engine.Db())
        {
            var head = db.AuditChainHeads.Single();
            (head.Sequence, head.Hash).Should().Be((action.ChainSequence, action.Hash));
            db.EvaluationRuns.Single().Hash.Should().Be(db.FindingActions.Single().PreviousHash);
        }

        var detail = await (await committee.GetAsync($"/api/findings/{before.Id}")).ReadAsync<FindingDetailDto>();
        detail.Actions.Should().ContainSingle(a => a.Reason == "Xã đã ban hành quy chế ngày 3/7");
        bed.Logs.Lines.Should().Contain(l => l.Contains("waived finding", StringComparison.Ordinal) && l.Contains("committee@D1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compliance_gives_a_share_just_short_of_its_threshold_below_it_and_one_exactly_at_it_as_it_is()
    {
        var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // KPI-MEDIATION is "≥ 70%" over districts: D1 settles 2.333 of 3.333 (69,997%: short), D2 7 of 10 (70%: met).
        await engine.ImportAsync(ImportKind.Values, "values.csv", QcdcCompliance.Tests.Reports.ShareBesideThresholdTests.JustShortOfSeventy);
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        await using var bed = await ApiTestbed.StartAsync(engine);
        var auditor = await bed.AsAsync(Role.Auditor, "P");

        var mediation = (await (await auditor.GetAsync("/api/compliance?period=2020S1")).ReadAsync<ComplianceDto>()).Targets.Single(t => t.Code == "KPI-MEDIATION");

        (mediation.Operator, mediation.Threshold).Should().Be((">=", "0.7"));
        mediation.Children.Select(c => (c.Area.Code, c.Share, c.Status))
            .Should().Equal([("D1", "0.6999", AreaStatus.Short), ("D2", "0.7000", AreaStatus.Met)], "0.7000 beside >= 0.7 would read as met");
        (mediation.Area!.Share, mediation.Area.Status).Should().Be(("0.6999", AreaStatus.Short), "the province's 2.340/3.343 is 69,99%");
    }
}
