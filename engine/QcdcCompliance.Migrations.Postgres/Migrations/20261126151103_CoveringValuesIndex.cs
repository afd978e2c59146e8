using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CoveringValuesIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValues_UnitId_PeriodId",
                table: "DataValues");

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_UnitId_PeriodId_IndicatorId_Value",
                table: "DataValues",
                columns: new[] { "UnitId", "PeriodId", "IndicatorId", "Value" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValues_UnitId_PeriodId_IndicatorId_Value",
                table: "DataValues");

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_UnitId_PeriodId",
                table: "DataValues",
                columns: new[] { "UnitId", "PeriodId" });
        }
    }
}
