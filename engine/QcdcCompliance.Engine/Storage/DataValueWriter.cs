using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Storage;

/// <summary>Updates stored values in place, inside the current transaction, with one prepared statement.</summary>
public static class DataValueWriter
{
    public static async Task UpdateAsync(QcdcDbContext db, IReadOnlyCollection<DataValue> values, CancellationToken ct = default)
    {
        if (values.Count == 0)
            return;
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText =
            """UPDATE "DataValues" SET "Value" = @value, "Comment" = @comment, "StoredBy" = @by, "StoredAt" = @at """ +
            """WHERE "PeriodId" = @period AND "UnitId" = @unit AND "IndicatorId" = @indicator""";
        // Typed first values let every provider prepare the statement (Npgsql infers timestamptz from a UTC time).
        var first = new (string Name, object Value, System.Data.DbType Type)[]
        {
            ("@value", 0L, System.Data.DbType.Int64), ("@comment", "", System.Data.DbType.String), ("@by", "", System.Data.DbType.String),
            ("@at", DateTime.UtcNow, System.Data.DbType.Object), ("@period", 0, System.Data.DbType.Int32), ("@unit", 0, System.Data.DbType.Int32),
            ("@indicator", 0, System.Data.DbType.Int32),
        };
        foreach (var (name, value, type) in first)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            if (type != System.Data.DbType.Object)
                parameter.DbType = type;
            command.Parameters.Add(parameter);
        }

        await command.PrepareAsync(ct);
        foreach (var v in values)
        {
            command.Parameters[0].Value = v.Value;
            command.Parameters[1].Value = (object?)v.Comment ?? DBNull.Value;
            command.Parameters[2].Value = v.StoredBy;
            command.Parameters[3].Value = DateTime.SpecifyKind(v.StoredAt, DateTimeKind.Utc);
            command.Parameters[4].Value = v.PeriodId;
            command.Parameters[5].Value = v.UnitId;
            command.Parameters[6].Value = v.IndicatorId;
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
