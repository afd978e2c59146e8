using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// The shipped target sets as a test database takes them: the national ones as they are; a province's own (Hà Tĩnh's
/// resolution, its committee's KPIs) adopted by every province in the database, as <c>qcdc import targets FILE --scope
/// CODE</c> would, so a test province is held to them too.
/// </summary>
public static class ShippedTargetSets
{
    public static async Task ImportAsync(QcdcDbContext db, Func<string, byte[], string?, Task> import)
    {
        var tree = await db.LoadAreaTreeAsync();
        var provinces = tree.Areas.Where(a => a.Level == AreaLevel.Province).Select(a => a.Code).Order(StringComparer.Ordinal).ToList();
        foreach (var (name, content) in QcdcRules.TargetSets())
        {
            var scope = System.Text.Json.Nodes.JsonNode.Parse(content)?["scope"]?.GetValue<string>();
            if (string.Equals(scope, TargetSetImporter.National, StringComparison.OrdinalIgnoreCase))
            {
                await import(name, content, null);
                continue;
            }

            foreach (var province in provinces)
                await import(name, content, province);
        }
    }
}
