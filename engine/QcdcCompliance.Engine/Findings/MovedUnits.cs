using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Findings;

/// <summary>
/// Where a stored unit finding placed its unit (its evidence's <c>unit.path</c>, area codes nearest first) against where
/// a run places it now. A unit that moved, or whose area did, carries its open shortfalls out of one committee's
/// subtree into another's: what the run recorded before is what the committees were told, so the path is read from
/// the row the run supersedes, and the next run finds it where this one wrote it (told once).
/// </summary>
public static class MovedUnits
{
    /// <summary>
    /// The path the stored row recorded, when <paramref name="now"/> places the unit elsewhere; null when it sits where
    /// it did, when the run did not see it, or when the row names no path. Asked only of rows the run writes again (their
    /// evidence changed), and allocates only for a unit that moved.
    /// </summary>
    public static string[]? PathBefore(Finding stored, UnitReport? now)
    {
        if (now is null)
            return null;
        var json = CompactText.Evidence.UnpackUtf8(stored.PackedEvidence);
        var reader = new Utf8JsonReader(json);
        if (!ToUnitPath(ref reader))
            return null;
        var path = now.Unit.Path;
        var (count, same) = (0, true);
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            same &= count < path.Count && reader.ValueTextEquals(path[count].Code);
            count++;
        }

        return same && count == path.Count ? null : Recorded(stored);
    }

    /// <summary>
    /// The path (area codes, nearest first) a stored unit finding recorded, what the committees of those areas were told;
    /// null when the row names none (an area's, a row from before paths).
    /// </summary>
    public static string[]? Recorded(Finding stored)
    {
        var reader = new Utf8JsonReader(CompactText.Evidence.UnpackUtf8(stored.PackedEvidence));
        if (!ToUnitPath(ref reader))
            return null;
        var codes = new List<string>(4);
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
            codes.Add(reader.GetString()!);
        return [.. codes];
    }

    /// <summary>Moves the reader onto the start of <c>unit.path</c>; false when the evidence has none (an area's, or a row from before paths).</summary>
    private static bool ToUnitPath(ref Utf8JsonReader reader)
    {
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("unit"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    return false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("path"u8))
                        return reader.Read() && reader.TokenType == JsonTokenType.StartArray;
                    reader.Read();
                    reader.Skip();
                }

                return false;
            }
        }
        catch (JsonException)
        {
            // Evidence that is not JSON places the unit nowhere: nothing to compare with.
        }

        return false;
    }
}
