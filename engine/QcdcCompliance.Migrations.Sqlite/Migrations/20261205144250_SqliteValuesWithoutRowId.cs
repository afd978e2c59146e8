using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SqliteValuesWithoutRowId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValues_PeriodId_UnitId_IndicatorId_Value",
                table: "DataValues");
            // The table is its key (EF cannot say WITHOUT ROWID): each value is stored once, in the key's order, and the
            // evaluation reads a scope's values from the table itself. Rebuilt as EF rebuilds a table, in the key's order.
            Rebuild(migrationBuilder, " WITHOUT ROWID");
        }

        private static void Rebuild(MigrationBuilder migrationBuilder, string options)
        {
            migrationBuilder.Sql($"""
                CREATE TABLE "ef_temp_DataValues" (
                    "PeriodId" INTEGER NOT NULL,
                    "UnitId" INTEGER NOT NULL,
                    "IndicatorId" INTEGER NOT NULL,
                    "Comment" TEXT NULL,
                    "StoredAt" TEXT NOT NULL,
                    "StoredBy" TEXT NOT NULL,
                    "Value" INTEGER NOT NULL,
                    CONSTRAINT "PK_DataValues" PRIMARY KEY ("PeriodId", "UnitId", "IndicatorId")
                ){options};
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_DataValues" ("PeriodId", "UnitId", "IndicatorId", "Comment", "StoredAt", "StoredBy", "Value")
                SELECT "PeriodId", "UnitId", "IndicatorId", "Comment", "StoredAt", "StoredBy", "Value" FROM "DataValues" ORDER BY "PeriodId", "UnitId", "IndicatorId";
                """);
            migrationBuilder.Sql("""DROP TABLE "DataValues";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_DataValues" RENAME TO "DataValues";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, "");
            migrationBuilder.CreateIndex(
                name: "IX_DataValues_PeriodId_UnitId_IndicatorId_Value",
                table: "DataValues",
                columns: new[] { "PeriodId", "UnitId", "IndicatorId", "Value" });
        }
    }
}
