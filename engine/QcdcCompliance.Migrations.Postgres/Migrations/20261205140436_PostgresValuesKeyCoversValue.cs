using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PostgresValuesKeyCoversValue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The key covers the value (EF cannot say INCLUDE of a key): the evaluation reads a scope's values from it
            // alone, and an import maintains one index instead of two. Made before the covering index is dropped.
            migrationBuilder.Sql("""
                ALTER TABLE "DataValues" DROP CONSTRAINT "PK_DataValues",
                    ADD CONSTRAINT "PK_DataValues" PRIMARY KEY ("PeriodId", "UnitId", "IndicatorId") INCLUDE ("Value");
                """);
            migrationBuilder.DropIndex(
                name: "IX_DataValues_PeriodId_UnitId_IndicatorId_Value",
                table: "DataValues");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_DataValues_PeriodId_UnitId_IndicatorId_Value",
                table: "DataValues",
                columns: new[] { "PeriodId", "UnitId", "IndicatorId", "Value" });
            migrationBuilder.Sql("""
                ALTER TABLE "DataValues" DROP CONSTRAINT "PK_DataValues",
                    ADD CONSTRAINT "PK_DataValues" PRIMARY KEY ("PeriodId", "UnitId", "IndicatorId");
                """);
        }
    }
}
