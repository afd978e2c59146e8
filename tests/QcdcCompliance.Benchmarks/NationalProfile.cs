using QcdcCompliance.Demo;

namespace QcdcCompliance.Benchmarks;

/// <summary>
/// The country at a chosen size, for the benchmarks only (the product's demo is one province, <see cref="HaTinhDemo"/>): 34 provinces whose sizes follow a steep curve (the largest holds about 30% of all
/// units, as Hà Nội and TP. Hồ Chí Minh do), each with the national mix of kinds: per 1,000,000 units about 3,321
/// communes, 64,000 villages, 60,000 agencies and public service units, 870,000 enterprises of which a third have a
/// trade union, and a few state enterprises and armed-forces units.
/// </summary>
public static class NationalProfile
{
    public const int Provinces = 34;
    public const int BaseSeed = 2026;

    public static IReadOnlyList<ProvinceProfile> Scaled(int units)
    {
        if (units < 1_000)
            throw new ArgumentOutOfRangeException(nameof(units), "at least 1,000 units");
        var weights = Enumerable.Range(0, Provinces).Select(i => 1.0 / Math.Pow(i + 1, 1.05)).ToArray();
        var total = weights.Sum();
        var shares = ProvinceGenerator.Apportion(units, weights.Select(w => w / total).ToArray());
        return shares.Select((n, i) => Province(i, (int)n)).ToList();
    }

    public static ProvinceProfile Province(int index, int units)
    {
        var scale = units / 1_000_000.0;
        var communes = Math.Max(2, (int)Math.Round(3_321 * scale * 1.0));
        var villagesPerCommune = 19;
        var offices = Math.Max(2, (int)Math.Round(60_000 * scale));
        var agencies = offices / 3;
        var services = offices - agencies;
        var state = Math.Max(1, (int)Math.Round(8_000 * scale));
        var armed = Math.Max(1, (int)Math.Round(2_000 * scale));
        var enterprises = Math.Max(1, units - (communes * (1 + villagesPerCommune)) - offices - state - armed);
        var districts = Math.Clamp(communes / 16, 1, 30);
        var code = $"P{index + 1:00}";
        return new ProvinceProfile(code, $"Tỉnh {index + 1:00}", Enumerable.Range(1, districts).Select(d => $"Huyện {d} tỉnh {index + 1:00}").ToList(),
            communes, villagesPerCommune, agencies, services, state, enterprises, TradeUnionShare: 1.0 / 3, armed);
    }
}
