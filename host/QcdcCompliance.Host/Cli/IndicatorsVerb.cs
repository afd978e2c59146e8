using System.CommandLine;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Host.Cli;

public static class IndicatorsVerb
{
    public static Command Create()
    {
        var command = new Command("indicators", "List the indicator catalogue: code, type, period type, the unit kinds it applies to.");
        command.SetAction(_ =>
        {
            foreach (var i in IndicatorCatalogue.All)
                Console.WriteLine($"{i.Code,-30} {i.ValueType,-10} {i.PeriodType,-9} {i.AppliesTo,-22} {i.NameVi}");
            return 0;
        });
        return command;
    }
}
