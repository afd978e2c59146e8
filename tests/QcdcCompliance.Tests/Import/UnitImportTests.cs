using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

public sealed class UnitImportTests
{
    [Fact]
    public async Task Units_are_stored_with_kind_union_headcount_contact_and_activity()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var summary = await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);

        summary.Inserted.Should().Be(8);
        await using var db = engine.Db();
        var dn1 = await db.Units.SingleAsync(u => u.Code == "DN1");
        dn1.Kind.Should().Be(UnitKind.NonStateEnterprise);
        dn1.HasTradeUnion.Should().BeTrue();
        dn1.Headcount.Should().Be(50);
        dn1.ContactEmail.Should().Be("dn1@example.vn");
        (await db.Units.SingleAsync(u => u.Code == "OLD")).ActiveTo.Should().Be(new DateOnly(2019, 12, 31));
    }

    [Fact]
    public async Task Unknown_area_duplicate_unit_bad_kind_and_bad_email_are_each_named()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var problems = await engine.RefusedAsync(ImportKind.Units, "units.csv", Province.UnitsHeader +
            """
            U1,Một,Commune,NOWHERE,true,1,,,
            U2,Hai,Commune,C1,true,1,,,
            U2,Hai lần,Commune,C1,true,1,,,
            U3,Ba,Factory,C1,true,1,,,
            U4,Bốn,StateAgency,D1,true,1,not-an-address,,
            U5,Năm,StateAgency,D1,có,-3,,,
            """);

        problems.Select(p => p.ToString()).Should().BeEquivalentTo(
            "units.csv:2:area_code: unknown area NOWHERE; import it with 'qcdc import areas' first",
            "units.csv:4:code: duplicate row: unit U2 is already on row 3; keep one",
            "units.csv:5:kind: 'Factory' is not a unit kind; write one of Commune, StateAgency, PublicServiceUnit, StateEnterprise, NonStateEnterprise, ArmedForces, Village, FrontAndMassOrganisations, MassMobilisationBoard (or XA, CQ, SN, DNNN, DN, LL, TH, MT, DV)",
            "units.csv:6:contact_email: 'not-an-address' is not an e-mail address; write name@domain.vn or leave it empty",
            "units.csv:7:headcount: -3 is below 0; a count cannot be negative");
    }

    [Fact]
    public async Task A_code_with_a_look_alike_letter_or_digit_is_refused_naming_it_while_Vietnamese_letters_stay_codes()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "UB-HT-X065,UBND Xã,Commune,C1,false,0,,,\n");

        // Н and Т Cyrillic, ５ fullwidth, Ρ Greek, ｘ a fullwidth small x: each reads as a code of the Latin alphabet.
        var problems = await engine.RefusedAsync(ImportKind.Units, "units.csv", Province.UnitsHeader +
            """
            UB-НТ-X065,UBND Xã (giả),Village,C1,false,0,,,
            UB-HT-X06５,UBND Xã (giả 2),Village,C1,false,0,,,
            ΡB-HT-X065,UBND Xã (giả 3),Village,C1,false,0,,,
            ĐƯỜNG-01,Thôn Đường,Village,C1,false,0,,,
            UB-HT-X065ｘ,UBND Xã (giả 4),Village,C1,false,0,,,
            """);
        var areaProblems = await engine.RefusedAsync(ImportKind.Areas, "areas.csv", "code,name,level,parent_code,valid_from,valid_to\nС4,Xã Bốn,Commune,D1,,\n");

        problems.Select(p => p.ToString()).Should().Equal(
            "units.csv:2:code: the code holds a Cyrillic letter 'Н' (U+041D) between 'UB-' and 'Т-X065' (character 4); a code takes only Latin letters and the digits 0-9, so that it never reads as another code: retype it",
            "units.csv:3:code: the code holds a fullwidth digit '５' (U+FF15) after 'UB-HT-X06' (character 10); a code takes only Latin letters and the digits 0-9, so that it never reads as another code: retype it",
            "units.csv:4:code: the code holds a Greek letter 'Ρ' (U+03A1) before 'B-HT-X065' (character 1); a code takes only Latin letters and the digits 0-9, so that it never reads as another code: retype it",
            "units.csv:6:code: the code holds a fullwidth letter 'Ｘ' (U+FF38) after 'UB-HT-X065' (character 11); a code takes only Latin letters and the digits 0-9, so that it never reads as another code: retype it");
        areaProblems.Select(p => p.ToString()).Should().Equal(
            "areas.csv:2:code: the code holds a Cyrillic letter 'С' (U+0421) before '4' (character 1); a code takes only Latin letters and the digits 0-9, so that it never reads as another code: retype it");
        ImportWording.Vietnamese(problems[0]).Should().Be(
            "mã chứa chữ cái Kirin (Cyrillic) 'Н' (U+041D) giữa 'UB-' và 'Т-X065' (ký tự thứ 4); mã chỉ gồm chữ cái Latinh và chữ số 0-9, để không bị đọc nhầm thành mã khác: gõ lại mã");
        ImportWording.Vietnamese(problems[1]).Should().StartWith("mã chứa chữ số toàn độ rộng (fullwidth) '５' (U+FF15) sau 'UB-HT-X06' (ký tự thứ 10)");
        await using var db = engine.Db();
        (await db.Units.CountAsync()).Should().Be(1, "nothing of a refused file is stored");
    }

    [Fact]
    public async Task A_unit_active_only_while_its_area_did_not_exist_is_refused()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var problems = await engine.RefusedAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "N1,Mới,Commune,C9,false,1,,2021-01-01,\n");

        problems.Should().ContainSingle().Which.Message.Should().StartWith("area C9 did not exist while the unit was active");
    }

    [Fact]
    public async Task Kinds_may_be_written_as_the_catalogue_tokens()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "S1,Trạm y tế,SN,C1,Có,12,,,\nE1,Công ty,dnnn,C2,1,100,,,\n");

        await using var db = engine.Db();
        (await db.Units.SingleAsync(u => u.Code == "S1")).Should().Match<Unit>(u => u.Kind == UnitKind.PublicServiceUnit && u.HasTradeUnion);
        (await db.Units.SingleAsync(u => u.Code == "E1")).Kind.Should().Be(UnitKind.StateEnterprise);
    }

    /// <summary>
    /// A row of a stored unit with its union, headcount, e-mail or closing day left blank (an older export, a list without
    /// those columns filled) takes nothing away: a blank union had set "no union" from today, out of every DN-CĐ target.
    /// </summary>
    [Fact]
    public async Task Blank_union_headcount_email_and_closing_day_of_a_stored_unit_keep_what_is_stored_and_the_summary_says_so()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);

        var summary = await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader +
            """
            DN1,Công ty Một,NonStateEnterprise,C1,,,,,
            OLD,UBND Xã Cũ,Commune,C9,false,10,,,

            """);

        summary.ToString().Should().Be("units.csv: 2 rows read; 0 new, 0 changed, 2 unchanged; blank cells kept the stored value: "
                                       + "has_trade_union of 1 unit, headcount of 1, contact_email of 1, active_to of 1 (write - to empty a headcount, an e-mail or a date)");
        await using var db = engine.Db();
        var dn1 = await db.Units.SingleAsync(u => u.Code == "DN1");
        (dn1.HasTradeUnion, dn1.Headcount, dn1.ContactEmail).Should().Be((true, 50, "dn1@example.vn"));
        (await db.Units.SingleAsync(u => u.Code == "OLD")).ActiveTo.Should().Be(new DateOnly(2019, 12, 31), "a blank closing day does not reopen a closed unit");
        (await db.UnitVersions.CountAsync()).Should().Be(0, "nothing that places the unit changed");
    }

    [Fact]
    public async Task A_dash_empties_a_stored_headcount_email_or_closing_day()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);

        var summary = await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader +
            """
            DN1,Công ty Một,NonStateEnterprise,C1,true,-,-,,
            XA3,UBND Xã Ba,Commune,C3,true,20,,,-

            """);

        summary.ToString().Should().Be("units.csv: 2 rows read; 0 new, 1 changed, 1 unchanged; emptied with -: headcount of 1 unit, contact_email of 1");
        await using var db = engine.Db();
        var dn1 = await db.Units.SingleAsync(u => u.Code == "DN1");
        (dn1.Headcount, dn1.ContactEmail).Should().Be((null, null));
        (await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "OLD,UBND Xã Cũ,Commune,C9,false,10,,,-\n")).Updated.Should().Be(1);
        (await db.Units.AsNoTracking().SingleAsync(u => u.Code == "OLD")).ActiveTo.Should().BeNull("'-' reopens a closed unit, which a blank no longer does");
    }

    [Fact]
    public async Task A_new_enterprise_with_a_blank_trade_union_is_refused_naming_row_and_column_while_other_kinds_need_none()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);

        var problems = await engine.RefusedAsync(ImportKind.Units, "units.csv", Province.UnitsHeader +
            """
            DN1,Công ty Một,NonStateEnterprise,C1,,,,,
            DN7,Công ty Bảy,DN,C1,,12,,,
            XA7,UBND Xã Bảy,Commune,C1,,,,,
            """);

        problems.Select(p => p.ToString()).Should().Equal(
            "units.csv:3:has_trade_union: has_trade_union is empty for the new unit DN7; a NonStateEnterprise is counted in the targets of units with a trade union only if it has one: write có or không");
        ImportWording.Vietnamese(problems[0]).Should().StartWith("chưa ghi đơn vị mới DN7 có công đoàn hay không (cột has_trade_union); doanh nghiệp");
        await using var db = engine.Db();
        (await db.Units.CountAsync(u => u.Code == "XA7" || u.Code == "DN7")).Should().Be(0, "nothing of a refused file is stored");
        (await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "XA7,UBND Xã Bảy,Commune,C1,,,,,\n")).Inserted.Should().Be(1, "a commune's union decides no population");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Every_kind_is_stored_by_its_full_name(string provider)
    {
        await using var engine = provider == "Sqlite" ? await Engine.SqliteAsync() : await Engine.PostgresAsync("unit_kinds");
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var kinds = Enum.GetValues<UnitKind>();
        var codes = kinds.Select(k => $"K{(int)k}").ToList();
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + string.Concat(kinds.Select(k => $"K{(int)k},{k},{k},C1,false,1,,,\n")));

        await using var db = engine.Db();
        (await db.Units.Where(u => codes.Contains(u.Code)).OrderBy(u => u.Code).Select(u => u.Kind).ToListAsync()).Should().Equal(kinds);
    }

    /// <summary>The contact column holds 256 characters on every provider: a longer address is the file's problem, named, not PostgreSQL's error.</summary>
    [Fact]
    public async Task An_email_longer_than_its_column_is_refused_by_name_on_PostgreSQL()
    {
        await using var engine = await Engine.PostgresAsync("unit_email");
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        var email = "dn7@" + new string('x', 260) + ".vn";
        var problems = await engine.RefusedAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + $"DN7,Công ty Bảy,NonStateEnterprise,C1,true,12,{email},,\n");

        problems.Select(p => p.ToString()).Should().Equal($"units.csv:2:contact_email: the text is {email.Length} characters long; the limit is 256");
    }

    [Fact]
    public async Task A_line_break_or_tab_inside_a_unit_or_area_name_becomes_one_space_so_that_no_name_forges_a_row_of_a_listing()
    {
        await using var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas + "C4,\"Xã\r\n  Bốn\",Commune,D1,,2025-06-30\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader
            + "DN7,\"Cty A\r\n999  Sent     UnitAlert  1  boss@hatinh.example.vn  [QCDC] forged row\",NonStateEnterprise,C4,có,10,,,\n"
            + "DN8,\"Cty\tB\u001b[2J\",NonStateEnterprise,C4,có,10,,,\n");

        await using var db = engine.Db();
        (await db.Areas.SingleAsync(a => a.Code == "C4")).Name.Should().Be("Xã Bốn");
        (await db.Units.SingleAsync(u => u.Code == "DN7")).Name.Should().Be("Cty A 999  Sent     UnitAlert  1  boss@hatinh.example.vn  [QCDC] forged row",
            "the line break and the spaces around it are one space; the spaces inside the name stay as written");
        (await db.Units.SingleAsync(u => u.Code == "DN8")).Name.Should().Be("Cty B [2J");
    }
}
