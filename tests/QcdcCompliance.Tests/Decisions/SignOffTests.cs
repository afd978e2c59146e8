using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Reports;
using QcdcCompliance.Audit;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>Sign-off: a signed-off (area, period) locks its units' values on every write path until reopened; both are links of the chain.</summary>
public sealed class SignOffTests(ITestOutputHelper output)
{
    private const string XA1Value = Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n";

    private static async Task<Engine> EvaluatedAsync(Func<Task<Engine>> create)
    {
        var engine = await ApiTestbed.ProvinceAsync(create);
        return engine;
    }

    private static Func<Task<Engine>> Create(string provider) => provider == "Sqlite"
        ? () => Engine.SqliteAsync(configure: s => s.AddQcdcDecisions())
        : () => Engine.PostgresAsync("signoff", configure: s => s.AddQcdcDecisions());

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_signed_off_area_refuses_values_of_its_units_until_reopened_and_the_chain_holds_both_links(string provider)
    {
        await using var engine = await EvaluatedAsync(Create(provider));
        var signOffs = engine.Services.GetRequiredService<SignOffService>();

        // Units of D1 have not reported everything: a reason is required.
        var noReason = () => signOffs.SignOffAsync("2020S1", "D1", null, "committee@D1");
        (await noReason.Should().ThrowAsync<SignOffRefusedException>()).Which.Message.Should().Contain("needs a reason");
        await signOffs.SignOffAsync("2020S1", "C1", "Xã đã rà soát", "committee@C1");
        await signOffs.ReopenAsync("2020S1", "C1", "Bổ sung số liệu", "committee@C1");
        var signed = await signOffs.SignOffAsync("2020S1", "D1", "Các đơn vị còn thiếu đã được nhắc", "committee@D1");
        signed.SignOff.IncompleteUnits.Should().BeGreaterThan(0);
        signed.SignOff.RunId.Should().NotBeNull();
        signed.OpenBelow.Should().Equal(["C1"], "C1 has a committee that reopened its period");
        var again = () => signOffs.SignOffAsync("2020S1", "D1", "x", "committee@D1");
        await again.Should().ThrowAsync<SignOffRefusedException>();

        // A file touching a value of a unit of D1 for 2020S1 is refused whole, naming the sign-off and how to reopen.
        var before = await engine.CountsAsync();
        var mixed = Province.ValuesHeader + "XA3,2020S1,REGULATION_ISSUED,false,\nXA1,2020S1,REGULATION_ISSUED,false,\n";
        var refused = () => engine.ImportAsync(ImportKind.Values, "values.csv", mixed);
        var problem = (await refused.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        output.WriteLine(problem.ToString());
        problem.Row.Should().Be(3);
        problem.Message.Should().Contain("2020S1 of D1 was signed off by committee@D1 on").And.Contain("qcdc signoff reopen --period 2020S1 --area D1");
        (await engine.CountsAsync()).Should().Be(before, "nothing of the file was stored, not even the row of D2");

        // Outside the locked subtree or period the same unit and area import as before.
        await engine.ImportAsync(ImportKind.Values, "d2.csv", Province.ValuesHeader + "XA3,2020S1,REGULATION_ISSUED,false,\n");
        await engine.ImportAsync(ImportKind.Values, "s2.csv", Province.ValuesHeader + "XA1,2020S2,REGULATION_ISSUED,false,\n");

        var noReopenReason = () => signOffs.ReopenAsync("2020S1", "D1", " ", "committee@D1");
        await noReopenReason.Should().ThrowAsync<SignOffRefusedException>();
        await signOffs.ReopenAsync("2020S1", "D1", "Xã Một gửi lại số liệu", "committee@D1");
        await engine.ImportAsync(ImportKind.Values, "values.csv", XA1Value);

        var verifier = engine.Services.GetRequiredService<AuditVerifier>();
        var verified = await verifier.VerifyAsync();
        verified.Ok.Should().BeTrue(verified.FirstBreak?.Problem);
        await using (var db = engine.Db())
        {
            var links = await db.SignOffs.AsNoTracking().OrderBy(s => s.Id).ToListAsync();
            links.Select(s => s.Kind).Should().Equal(SignOffKind.SignOff, SignOffKind.Reopen, SignOffKind.SignOff, SignOffKind.Reopen);
            verified.HeadSequence.Should().Be(links[^1].ChainSequence);

            // A sign-off altered in the database breaks the chain at its link.
            await db.SignOffs.Where(s => s.Id == links[2].Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.By, "someone else"));
        }

        var broken = await verifier.VerifyAsync();
        broken.Ok.Should().BeFalse();
        broken.FirstBreak!.Kind.Should().Be(ChainRecordKind.SignOff);
        broken.FirstBreak.Id.Should().Be(signed.SignOff.Id);
    }

    [Fact]
    public async Task Reopening_an_area_whose_province_is_still_signed_off_says_its_values_stay_locked_by_it()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        await signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1");
        await signOffs.SignOffAsync("2020S1", "P", "Đã rà soát", "committee@P");

        var reopened = await signOffs.ReopenAsync("2020S1", "D1", "Xã Một sửa số liệu", "committee@D1");
        reopened.StillLockedBy.Should().Be("2020S1 of P", "the province's sign-off locks every unit below it");
        QcdcCompliance.Host.Cli.SignOffVerb.Describe(reopened).Should().Contain("stay locked by the sign-off of 2020S1 of P").And.NotContain("may be imported again")
            .And.Contain("Số liệu của các đơn vị vẫn bị khóa bởi ký duyệt 6 tháng đầu năm 2020 của ");
        await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Values, "values.csv", XA1Value)).Should().ThrowAsync<ImportRejectedException>();

        await signOffs.ReopenAsync("2020S1", "P", "Tỉnh mở lại cho Xã Một", "committee@P")
            .ContinueWith(t => t.Result.StillLockedBy.Should().BeNull());
        await engine.ImportAsync(ImportKind.Values, "values.csv", XA1Value);
    }

    [Fact]
    public async Task Reopening_a_half_year_whose_year_is_still_signed_off_says_only_the_counts_the_year_adds_stay_locked()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        await signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1");
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        await signOffs.SignOffAsync("2020", "D1", "Năm đã rà soát", "committee@D1");

        var reopened = await signOffs.ReopenAsync("2020S1", "D1", "Xã Một sửa số liệu", "committee@D1");
        reopened.StillLockedBy.Should().Be("2020 of D1");
        var said = QcdcCompliance.Host.Cli.SignOffVerb.Describe(reopened);
        output.WriteLine(said);
        said.Should().Contain("Các số đếm 6 tháng đầu năm 2020 của các đơn vị mà năm 2020 cộng dồn với 6 tháng cuối năm vẫn bị khóa bởi ký duyệt năm 2020 của ")
            .And.Contain("các số liệu khác 6 tháng đầu năm 2020 (tình trạng, câu trả lời có/không) có thể nhập lại")
            .And.Contain("The counts of its units for 2020S1 that 2020 adds to the second half's stay locked by the sign-off of 2020 of D1")
            .And.Contain("their other values for 2020S1 (states, yes/no answers) may be imported again")
            .And.NotContain("Its units' values stay locked", "the year locks only the counts it adds up");
        said.Should().Be(said.Normalize(System.Text.NormalizationForm.FormC));

        // As said: a first-half yes/no answer imports, a count the year adds is refused.
        await engine.ImportAsync(ImportKind.Values, "s1.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\n");
        await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Values, "c.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,3,\n"))
            .Should().ThrowAsync<ImportRejectedException>();
    }

    [Fact]
    public async Task A_values_refusal_names_every_sign_off_that_locks_the_unit_innermost_first_and_says_all_must_be_reopened()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        await signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1");
        await signOffs.SignOffAsync("2020S1", "P", "Đã rà soát", "committee@P");

        var refused = () => engine.ImportAsync(ImportKind.Values, "values.csv", XA1Value);
        var problem = (await refused.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        output.WriteLine(problem.ToString());
        problem.Message.Should().StartWith("2020S1 of D1 was signed off by committee@D1 on")
            .And.MatchRegex(@"are locked, and by the sign-off of 2020S1 of P \(.+\), by committee@P on \d\d/\d\d/\d{4} \d\d:\d\d;")
            .And.Contain("every one must be reopened");
        var vi = ImportWording.Vietnamese(problem);
        output.WriteLine(vi);
        vi.Should().MatchRegex(@"đã bị khóa, bởi cả ký duyệt 6 tháng đầu năm 2020 của .+ \(bởi committee@P lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}\)")
            .And.Contain("phải mở lại tất cả");
        ImportWording.English(problem).Should().Contain("by committee@P at").And.Contain("every one must be reopened");

        // A unit locked by one sign-off only is refused as before, naming it alone.
        await signOffs.ReopenAsync("2020S1", "D1", "Xã Một sửa số liệu", "committee@D1");
        var second = (await refused.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        second.Message.Should().StartWith("2020S1 of P was signed off by committee@P").And.NotContain("every one must be reopened");
        ImportWording.Vietnamese(second).Should().NotContain("bởi cả ký duyệt");
    }

    [Fact]
    public async Task A_signed_off_year_locks_the_half_year_values_it_reads_and_not_a_first_half_state_it_never_reads()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        await signOffs.SignOffAsync("2020", "D1", "Năm đã rà soát", "committee@D1");

        // The year sums XA1's half-year counts and reads its S2 state: a change to either would change the signed year.
        var before = await engine.CountsAsync();
        var count = () => engine.ImportAsync(ImportKind.Values, "values.csv",
            Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\nXA1,2020S1,DIALOGUE_CONFERENCES,3,\nXA1,2020S1,MEDIATION_TEAMS,4,\n");
        var problem = (await count.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        problem.Row.Should().Be(3, "the first row the year reads: the yes/no answer of the first half is not locked");
        problem.Message.Should().Contain("2020 of D1 was signed off by committee@D1")
            .And.Contain("values of unit XA1 for 2020S1 that the year 2020 sums are locked (DIALOGUE_CONFERENCES: the year adds them to the second half's; "
                         + "not its states and yes/no answers, which it reads from the second half alone)")
            .And.Contain("qcdc signoff reopen --period 2020 --area D1");
        ImportWording.IsSignOffLock(problem).Should().BeTrue();
        ImportWording.Vietnamese(problem).Should().Contain("nên các số liệu 6 tháng đầu năm 2020 của đơn vị XA1 mà năm 2020 cộng dồn với 6 tháng cuối năm "
                                                          + "(số hội nghị đối thoại của người đứng đầu cấp ủy, chính quyền với Nhân dân; không gồm các số liệu trạng thái và có/không");
        ImportWording.English(problem).Should().Contain("that the year 2020 adds to the second half's (Heads-to-people dialogue conferences held; not its states");
        var second = () => engine.ImportAsync(ImportKind.Values, "s2.csv", Province.ValuesHeader + "XA1,2020S2,REGULATION_ISSUED,false,\n");
        var secondProblem = (await second.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().ContainSingle().Which;
        secondProblem.Message.Should().Contain("values of unit XA1 for 2020S2 are locked (the year 2020 reads them)");
        ImportWording.Vietnamese(secondProblem).Should().Contain("nên số liệu 6 tháng cuối năm 2020 của đơn vị XA1, mà năm 2020 tổng hợp, đã bị khóa");
        (await engine.CountsAsync()).Should().Be(before);

        // A first-half state or yes/no answer, which the year reads from the second half alone, is corrected under the signed year.
        var corrected = await engine.ImportAsync(ImportKind.Values, "s1.csv", Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,false,\nXA1,2020S1,MEDIATION_TEAMS,4,\n");
        (corrected.Inserted + corrected.Updated).Should().Be(2, "REGULATION_ISSUED true -> false, MEDIATION_TEAMS new");

        // A unit outside the signed area, and the half-year once the year is reopened, import as before.
        await engine.ImportAsync(ImportKind.Values, "d2.csv", Province.ValuesHeader + "XA3,2020S1,DIALOGUE_CONFERENCES,2,\n");
        await signOffs.ReopenAsync("2020", "D1", "Xã Một sửa số liệu 6 tháng đầu năm", "committee@D1");
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,3,\n");
    }

    [Fact]
    public async Task The_command_line_and_the_API_are_refused_alike_and_sign_off_and_reopen_through_their_own_doors()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        await using var bed = await ApiTestbed.StartAsync(engine);
        var committee = await bed.AsAsync(Role.Committee, "D1");
        var reporter = await bed.AsAsync(Role.Reporter, "D1");

        var noReason = await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1" });
        noReason.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await reporter.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "x" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var signed = await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "Đã nhắc các đơn vị còn thiếu" });
        signed.StatusCode.Should().Be(HttpStatusCode.OK, await signed.Content.ReadAsStringAsync());

        // The API's values import.
        var api = await reporter.PostAsync("/api/imports/values?file=values.csv", new StringContent(XA1Value, Encoding.UTF8, new MediaTypeHeaderValue("text/csv")));
        var body = await api.Content.ReadAsStringAsync();
        output.WriteLine(body);
        api.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.Should().Contain("2020S1 of D1 was signed off by").And.Contain("qcdc signoff reopen");

        // The command line's.
        var file = Path.Combine(TestFolders.NewFolder("signoff"), "values.csv");
        await File.WriteAllTextAsync(file, XA1Value);
        var cli = () => HostProcess.RunAsync(engine.Storage, "import", "values", file, "--no-evaluate");
        (await cli.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("exited 1");
        var list = await HostProcess.RunAsync(engine.Storage, "signoff", "list", "--period", "2020S1");
        output.WriteLine(list);
        list.Should().Contain("D1").And.Contain("SignOff");

        // Reopened through the command line, the API's import goes through.
        var reopened = await HostProcess.RunAsync(engine.Storage, "signoff", "reopen", "--period", "2020S1", "--area", "D1", "--reason", "Xã Một gửi lại");
        output.WriteLine(reopened);
        reopened.Should().Contain("reopened");
        (await reporter.PostAsync("/api/imports/values?file=values.csv", new StringContent(XA1Value, Encoding.UTF8, new MediaTypeHeaderValue("text/csv"))))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var listed = await committee.GetFromJsonAsync<List<SignOffView>>("/api/signoffs?period=2020S1",
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });
        listed!.Select(s => s.Kind).Should().Equal(SignOffKind.Reopen, SignOffKind.SignOff);
        (await HostProcess.RunAsync(engine.Storage, "audit", "verify")).Should().NotContain("break");
    }

    [Fact]
    public async Task A_reason_of_invisible_characters_is_no_reason_to_reopen_acknowledge_or_waive_through_the_API_or_the_dashboard()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        await using var bed = await ApiTestbed.StartAsync(engine);
        var key = await bed.KeyAsync(Role.Committee, "D2");
        var committee = bed.As(key);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, key);
        var finding = await bed.FindingAsync("NQ02-1", "XA3");
        (await committee.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D2", reason = "Đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);
        // Zero width space, word joiner, byte order mark, spaces of other widths, joiners with a soft hyphen, a Hangul filler and a blank Braille cell.
        string[] blanks = ["\u200B", "\u2060", "\uFEFF", " \u200B\u00A0\u3000 ", "\u200D\u034F\u00AD", "\u3164\u2800"];

        var answers = new List<string>();
        foreach (var blank in blanks)
        {
            var reopen = await committee.PostAsJsonAsync("/api/signoffs/reopen", new { period = "2020S1", area = "D2", reason = blank });
            var acknowledge = await committee.PostAsJsonAsync($"/api/findings/{finding.Id}/acknowledge", new { reason = blank });
            var waive = await committee.PostAsJsonAsync($"/api/findings/{finding.Id}/waive", new { reason = blank });
            var form = await browser.SubmitAsync("/?period=2020S1&area=D2", "/signoffs/reopen",
                new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "D2", ["reason"] = blank });
            answers.Add($"{(int)reopen.StatusCode} {(int)acknowledge.StatusCode} {(int)waive.StatusCode} {(int)form.StatusCode}");
        }

        // The API's reopen, acknowledge and waive: a 400 naming the request's reason; the dashboard's form, its page's refusal.
        answers.Should().AllBe("400 400 400 400", "reopen, acknowledge, waive and the dashboard's reopen each refuse a reason nobody can read, as a bad request");
        await using (var db = engine.Db())
        {
            (await db.FindingActions.CountAsync()).Should().Be(0);
            (await db.SignOffs.Select(s => s.Kind).ToListAsync()).Should().Equal(SignOffKind.SignOff);
        }

        var visible = await committee.PostAsJsonAsync("/api/signoffs/reopen", new { period = "2020S1", area = "D2", reason = "\u200BBổ sung\u00A0" });
        visible.StatusCode.Should().Be(HttpStatusCode.OK, "a reason with something to read is one");
    }

    [Fact]
    public async Task A_reopened_period_reads_on_the_overview_as_signed_off_then_reopened_by_whom_and_why_not_as_never_signed()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        await using var bed = await ApiTestbed.StartAsync(engine);
        var key = await bed.KeyAsync(Role.Committee, "D2");
        (await bed.As(key).PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D2", reason = "Đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await bed.As(key).PostAsJsonAsync("/api/signoffs/reopen", new { period = "2020S1", area = "D2", reason = "Sửa số liệu xã Ba" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, key);

        var page = System.Net.WebUtility.HtmlDecode(await (await browser.GetAsync("/?period=2020S1&area=D2")).Content.ReadAsStringAsync());
        page.Should().NotContain("Kỳ này chưa được ký duyệt cho địa bàn", "it was signed off, then reopened")
            .And.MatchRegex(@"Kỳ này đã được mở lại, chưa ký duyệt lại\.</strong>\s*Đã ký duyệt ngày \d\d/\d\d/\d{4} lúc \d\d:\d\d bởi test Committee@D2;\s*"
                            + @"mở lại ngày \d\d/\d\d/\d{4} lúc \d\d:\d\d \(giờ Việt Nam\) bởi test Committee@D2 \(lý do: Sửa số liệu xã Ba\)\.");
        var english = System.Net.WebUtility.HtmlDecode(await (await browser.GetAsync("/?period=2020S1&area=D2&lang=en")).Content.ReadAsStringAsync());
        english.Should().Contain("This period was reopened and is not signed off again.").And.Contain("(reason: Sửa số liệu xã Ba)");

        // The report of the period says it too, not that it was never signed off.
        var report = System.Net.WebUtility.HtmlDecode(await (await browser.GetAsync("/report?period=2020S1&area=D2&format=html")).Content.ReadAsStringAsync());
        report.Should().NotContain("chưa được Ban Chỉ đạo ký duyệt.")
            .And.MatchRegex(@"đã được Ban Chỉ đạo ký duyệt lúc \d\d/\d\d/\d{4} \d\d:\d\d bởi test Committee@D2, được mở lại lúc \d\d/\d\d/\d{4} \d\d:\d\d "
                            + @"\(giờ Việt Nam\) bởi test Committee@D2 \(lý do: Sửa số liệu xã Ba\) và chưa được ký duyệt lại\.");
    }

    [Fact]
    public async Task A_refused_sign_off_page_leads_back_to_the_overview_of_its_area_and_period_in_its_language()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        await using var bed = await ApiTestbed.StartAsync(engine);
        var key = await bed.KeyAsync(Role.Committee, "D2");
        (await bed.As(key).PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D2", reason = "Đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, key);

        foreach (var (lang, text) in new[] { ("", "Về trang tổng quan của địa bàn"), ("&lang=en", "Back to the area's overview") })
        {
            var again = await browser.SubmitAsync($"/?period=2020S1&area=D2{lang}", "/signoffs" + (lang.Length > 0 ? "?lang=en" : ""),
                new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "D2", ["reason"] = "Lần nữa" });
            again.StatusCode.Should().Be(HttpStatusCode.Conflict, "the area is signed off already");
            System.Net.WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()).Should()
                .Contain($"<a id=\"message-link\" href=\"/?period=2020S1&area=D2{lang}#signoff\">{text}</a>", "not the bare overview, which loses the area and period");
        }
    }

    [Fact]
    public async Task The_dashboard_overview_says_when_the_period_was_signed_off_and_committee_members_sign_off_and_reopen_through_its_forms()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "D2"));
        var page = "/?period=2020S1&area=D2";
        var before = await (await browser.GetAsync(page)).Content.ReadAsStringAsync();
        before.Should().Contain("id=\"not-signed-off\"").And.Contain("id=\"signoff-button\"");

        var signed = await browser.SubmitAsync(page, "/signoffs", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "D2", ["reason"] = "Đã rà soát" });
        signed.StatusCode.Should().Be(HttpStatusCode.Redirect, await signed.Content.ReadAsStringAsync());
        var after = WebUtility.HtmlDecode(await (await browser.GetAsync(page)).Content.ReadAsStringAsync());
        after.Should().Contain("Đã ký duyệt ngày").And.Contain("id=\"reopen-button\"");
        var again = await browser.SubmitAsync(page, "/signoffs", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "D2", ["reason"] = "Lần nữa" });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()).Should()
            .Contain("Số liệu 6 tháng đầu năm 2020 của Huyện Hai đã được ký duyệt (bởi ", "a Vietnamese page says its refusal in Vietnamese")
            .And.Contain("trước hết mở lại kỳ này.").And.NotContain("signed off already");

        var noReason = await browser.SubmitAsync(page, "/signoffs/reopen", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "D2", ["reason"] = "" });
        noReason.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var reopened = await browser.SubmitAsync(page, "/signoffs/reopen", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "D2", ["reason"] = "Bổ sung" });
        reopened.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await (await browser.GetAsync(page)).Content.ReadAsStringAsync()).Should().Contain("id=\"reopened\"", "reopened, not never signed off")
            .And.Contain("id=\"signoff-button\"").And.NotContain("id=\"not-signed-off\"");
        var kinds = (await engine.Services.GetRequiredService<SignOffService>().ListAsync("2020S1", "D2")).Select(s => s.Kind);
        kinds.Should().Equal(SignOffKind.Reopen, SignOffKind.SignOff);

        var (auditor, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "D2"));
        (await (await auditor.GetAsync(page)).Content.ReadAsStringAsync()).Should().NotContain("signoff-button", "only committee members get the form");
    }
    /// <summary>
    /// A year reads a first half's count (summed) and not its states or yes/no answers (README, "Periods"): a changed
    /// first-half state neither queues the year's evaluation nor leaves the year's run out of date for its sign-off, which
    /// was refused as out of date, sent to wait for an evaluation nothing had queued; a changed first-half count does both.
    /// </summary>
    [Fact]
    public async Task A_first_half_state_the_year_does_not_read_leaves_the_year_current_for_its_sign_off_and_a_count_it_sums_does_not()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var state = await engine.ImportAsync(ImportKind.Values, "state.csv", Province.ValuesHeader + "XA1,2020S1,PEOPLE_INFORMED,25,\n");
        state.Inserted.Should().Be(1);
        state.TouchedScopes.Should().NotContain(s => s.Period == "2020", "the year does not read a first-half state");
        (await signOffs.OutOfDateAsync("2020", "D1")).Should().BeNull("the year's run read every value the year reads");
        await signOffs.SignOffAsync("2020", "D1", "Năm đã rà soát", "committee@D1");
        await signOffs.ReopenAsync("2020", "D1", "Xã Một sửa số liệu", "committee@D1");

        var count = await engine.ImportAsync(ImportKind.Values, "count.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,7,\n");
        count.TouchedScopes.Should().Contain(("2020", "P"), "the year sums the first half's count");
        (await signOffs.OutOfDateAsync("2020", "D1")).Should().NotBeNull();
        var refused = (await FluentActions.Awaiting(() => signOffs.SignOffAsync("2020", "D1", "Năm đã rà soát", "committee@D1"))
            .Should().ThrowAsync<SignOffRefusedException>()).Which;
        refused.Message.Should().Contain("the figures of 2020 are out of date");
    }

    [Fact]
    public async Task A_sign_off_is_refused_while_values_changed_after_the_latest_run_and_the_overview_says_the_figures_are_out_of_date()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        var signOffs = engine.Services.GetRequiredService<SignOffService>();
        long LatestRun(QcdcCompliance.Storage.QcdcDbContext db) => db.ScopeStates.AsNoTracking().Single().LatestRunId;
        long before;
        await using (var db = engine.Db())
            before = LatestRun(db);

        // A correction imported without its evaluation (qcdc import values --no-evaluate, or its job still queued).
        await engine.ImportAsync(ImportKind.Values, "values.csv", XA1Value);
        var refused = (await FluentActions.Awaiting(() => signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1"))
            .Should().ThrowAsync<SignOffRefusedException>()).Which;
        output.WriteLine(refused.Message);
        refused.Message.Should().Contain($"the figures of 2020S1 are out of date").And.Contain($"changed after run #{before} read them")
            .And.Contain("evaluate 2020S1 first (qcdc evaluate --period 2020S1 --area P)");
        refused.MessageVi.Should().Contain($"đã thay đổi sau lần đánh giá #{before}").And.Contain("hãy đánh giá lại kỳ này");
        (await signOffs.ListAsync("2020S1", "D1")).Should().BeEmpty("nothing was signed");

        // The overview tells the committee instead of offering the sign-off.
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "D1"));
        var page = WebUtility.HtmlDecode(await (await browser.GetAsync("/?period=2020S1&area=D1")).Content.ReadAsStringAsync());
        page.Should().Contain("id=\"out-of-date\"").And.Contain("Kết quả đánh giá đã cũ.").And.NotContain("id=\"signoff-button\"");

        // Once evaluated, the sign-off takes the run that judged the values it locks.
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await signOffs.OutOfDateAsync("2020S1", "D1")).Should().BeNull();
        var signed = await signOffs.SignOffAsync("2020S1", "D1", "Đã rà soát", "committee@D1");
        await using (var db = engine.Db())
            signed.SignOff.RunId.Should().Be(LatestRun(db)).And.NotBe(before);
    }

    [Fact]
    public async Task A_refused_re_evaluation_in_a_warm_session_is_recorded_as_a_failed_run()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync(keepWarm: true, configure: s => s.AddQcdcDecisions()));
        // The session is warm after this run; then a value changes, and D1 is signed off on the run before it (as a sign-off
        // made before sign-offs checked that their run was current left it).
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.ImportAsync(ImportKind.Values, "values.csv", XA1Value);
        int xa1;
        await using (var db = engine.Db())
        {
            xa1 = await db.Units.Where(u => u.Code == "XA1").Select(u => u.Id).SingleAsync();
            var state = await db.ScopeStates.AsNoTracking().SingleAsync();
            await AuditChain.AppendAsync(db, new SignOff
            {
                AreaId = await db.Areas.Where(a => a.Code == "D1").Select(a => a.Id).SingleAsync(), PeriodId = state.PeriodId, Kind = SignOffKind.SignOff,
                Reason = "Đã rà soát", By = "committee@D1", At = AuditChain.Truncate(DateTime.UtcNow), RunId = state.LatestRunId, PreviousHash = "", Hash = "",
            }, AuditChain.HashSignOff, CancellationToken.None);
        }

        var refused = () => engine.Evaluations.EvaluateUnitsAsync("2020S1", "P", [xa1], RunTrigger.Import);
        var thrown = (await refused.Should().ThrowAsync<QcdcCompliance.Findings.SignedPeriodRunException>()).Which;
        thrown.Message.Should().NotContain("this build's rules");
        // In Vietnamese too, as the command line says it first and the API's messageVi.
        thrown.SentenceVi.Should().StartWith("Số liệu kỳ 2020S1 của Huyện Một (D1) đã được committee@D1 ký duyệt lúc ")
            .And.MatchRegex("lần đánh giá này sẽ làm thay đổi \\d+ kết quả đã ký duyệt \\(theo chỉ tiêu “[^”]+” \\([A-Z0-9-]+\\).*\\), nên không có gì được lưu")
            .And.EndWith("(qcdc signoff reopen --period 2020S1 --area D1 --reason \"...\"), rồi đánh giá lại 2020S1.");
        await using (var db = engine.Db())
        {
            var last = await db.EvaluationRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstAsync();
            last.Status.Should().Be(RunStatus.Failed, "README: only the refusal is kept, as a failed run");
            last.Error.Should().Contain("2020S1 of D1 was signed off by committee@D1");
        }
    }

    [Fact]
    public async Task The_committee_of_a_commune_made_in_2025_neither_signs_off_nor_reads_a_period_of_a_commune_merged_into_it_from_before_the_merger()
    {
        await using var engine = await EvaluatedAsync(Create("Sqlite"));
        // C3 (in D2) is merged into N, a commune made on 1/7/2025.
        await engine.ImportAsync(ImportKind.Areas, "areas-n.csv", "code,name,level,parent_code,valid_from,valid_to\nC3,Xã Ba,Commune,D2,,2025-06-30\nN,Xã Mới,Commune,P,2025-07-01,\n");
        await engine.ImportAsync(ImportKind.Lineage, "lineage-n.csv", "predecessor_code,successor_code,effective_from\nC3,N,2025-07-01\n");
        await using var bed = await ApiTestbed.StartAsync(engine);
        var key = await bed.KeyAsync(Role.Committee, "N");
        var api = bed.As(key);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, key);

        // On 30/6/2020 C3 lay in D2, not in N: every read and write of 2020S1 over C3 answers as for an area outside.
        var reads = new[] { "/api/compliance?period=2020S1&area=C3", "/api/completeness?period=2020S1&area=C3", "/api/templates?period=2020S1&area=C3&format=csv" };
        foreach (var read in reads)
            (await api.GetAsync(read)).StatusCode.Should().Be(HttpStatusCode.NotFound, read);
        foreach (var page in new[] { "/?period=2020S1&area=C3", "/report?period=2020S1&area=C3&format=html", "/workspace?period=2020S1&area=C3" })
            (await browser.GetAsync(page)).StatusCode.Should().Be(HttpStatusCode.NotFound, page);
        var signed = await browser.SubmitAsync("/", "/signoffs", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "C3", ["reason"] = "Không phải của N" });
        signed.StatusCode.Should().Be(HttpStatusCode.NotFound, "POST /api/signoffs refuses it the same");
        (await api.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "C3", reason = "Không phải của N" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await using (var db = engine.Db())
            (await db.SignOffs.CountAsync()).Should().Be(0);

        // D2's committee, where C3 lay, still reads and signs off C3's 2020S1.
        var district = await bed.AsAsync(Role.Committee, "D2");
        (await district.GetAsync("/api/compliance?period=2020S1&area=C3")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await district.PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "C3", reason = "Đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
