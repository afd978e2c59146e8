using System.Net;
using System.Text.RegularExpressions;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// The unit's entry page lists its findings in the words of the dashboard's unit page and of <c>explain</c>: the target
/// and its set named from the target sets stored, never by a bare code ("chỉ tiêu NQ02-1").
/// </summary>
public sealed partial class EntryPageFindingWordsTests
{
    [Fact]
    public async Task The_entry_page_words_each_finding_as_the_unit_page_does_never_by_its_target_code()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (reporter, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "D1"), returnUrl: "");
        var committee = await bed.AsAsync(Role.Committee, "D1");

        var entry = WebUtility.HtmlDecode(await (await reporter.GetAsync("/workspace/units/XA2?period=2020S1")).Content.ReadAsStringAsync());
        var unitPage = WebUtility.HtmlDecode(await (await committee.GetAsync("/units/XA2")).Content.ReadAsStringAsync());
        var onEntry = EntryRow().Matches(entry).ToDictionary(m => m.Groups["target"].Value, m => (Name: m.Groups["name"].Value, Evidence: m.Groups["evidence"].Value));
        var onUnitPage = UnitPageRow().Matches(unitPage).ToDictionary(m => m.Groups["target"].Value, m => (Name: m.Groups["name"].Value, Evidence: m.Groups["evidence"].Value));

        onEntry.Should().ContainKey("NQ02-1", "XA2 has not issued its regulation in 2020S1");
        foreach (var (target, (name, evidence)) in onEntry)
        {
            name.Should().NotBe(target, "the target is named in words");
            evidence.Should().NotContain($" {target}, ", "the evidence names the target from its stored set, as explain does");
            onUnitPage.Should().ContainKey(target);
            (name, evidence).Should().Be(onUnitPage[target], $"{target}: the entry page words the finding as the unit page does");
        }
    }

    [GeneratedRegex("<tr data-target=\"(?<target>[^\"]+)\" data-state=\"[^\"]+\"><td>(?<name>[^<]*)</td>.*?<pre>(?<evidence>.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex EntryRow();

    [GeneratedRegex("<tr data-period=\"2020S1\" data-target=\"(?<target>[^\"]+)\">\\s*<td>[^<]*</td>\\s*<td>(?<name>[^<]*)</td>.*?<pre>(?<evidence>.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex UnitPageRow();
}
