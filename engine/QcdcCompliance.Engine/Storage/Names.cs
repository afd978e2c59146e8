using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace QcdcCompliance.Storage;

/// <summary>
/// An entity's table and column names as the provider writes them (delimited), from the model, for the few statements
/// written as SQL.
/// </summary>
public sealed class Names
{
    private readonly Dictionary<string, string> _columns;
    private readonly ISqlGenerationHelper _sql;

    private Names(string table, Dictionary<string, string> columns, ISqlGenerationHelper sql)
    {
        Table = table;
        _columns = columns;
        _sql = sql;
    }

    public string Table { get; }

    /// <summary>The delimited column of a mapped property.</summary>
    public string this[string property] => _columns[property];

    /// <summary>Any name (an alias) delimited as the provider writes it.</summary>
    public string Column(string name) => _sql.DelimitIdentifier(name);

    public static Names Of<T>(QcdcDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped");
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // A complex property's columns are named "Property.Member" (Finding's "Measurement.Outcome").
        var columns = entity.GetProperties().Select(p => (p.Name, Column: p.GetColumnName(table)!))
            .Concat(entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties().Select(p => (c.Name + "." + p.Name, Column: p.GetColumnName(table)!))));
        return new Names(sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema()),
            columns.ToDictionary(c => c.Item1, c => sql.DelimitIdentifier(c.Column)), sql);
    }

    /// <summary>Integers as a SQL list (numbers, never text, so inlining them is safe); <paramref name="empty"/> when there are none.</summary>
    public static string List(IEnumerable<int> values, string empty = "NULL")
    {
        var text = string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return text.Length == 0 ? empty : text;
    }
}
