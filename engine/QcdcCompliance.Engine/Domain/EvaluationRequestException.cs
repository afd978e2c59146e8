namespace QcdcCompliance.Domain;

/// <summary>
/// A request that cannot be evaluated or answered as asked (unknown period or area): the user's to fix. Where the place
/// that refuses it words it in Vietnamese too, <see cref="MessageVi"/> has it (the API's problem in Vietnamese).
/// </summary>
public class EvaluationRequestException(string message, string? messageVi = null) : Exception(message)
{
    public string? MessageVi { get; } = messageVi;
}

/// <summary>A target code that no target set the principal may know defines: a request's to fix, naming the code as written.</summary>
public sealed class UnknownTargetException(string code) : EvaluationRequestException($"unknown target {code}", $"không có chỉ tiêu {code}")
{
    public string Code { get; } = code;
}

/// <summary>
/// An area that lies in no province on a period's last day (made after it, or cut from the tree by then): its period is
/// not evaluated, signed off or templated. The one sentence, in English and Vietnamese, of the evaluation, the sign-off,
/// the template and <c>POST /api/evaluations</c>.
/// </summary>
public sealed class AreaOutsideProvincesException(Area area, Period period) : EvaluationRequestException(
    $"area {area.Code} is not in any province on {period.End:yyyy-MM-dd} (the end of {period.Code})",
    $"địa bàn {area.Name} ({area.Code}) không thuộc tỉnh nào vào ngày {period.End.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)} (ngày cuối kỳ {period.Code})")
{
    /// <summary>The province the area lies in on the period's last day, the scope of the period's run over it; null when it lies in none.</summary>
    public static Area? ProvinceOn(AreaTree tree, Area area, Period period) =>
        tree.PathOn(area.Id, period.End) is [.., { Level: AreaLevel.Province } province] ? province : null;

    /// <summary>The province the area lies in on the period's last day; refused when it lies in none.</summary>
    public static Area ProvinceOf(AreaTree tree, Area area, Period period) => ProvinceOn(tree, area, period) ?? throw new AreaOutsideProvincesException(area, period);
}
