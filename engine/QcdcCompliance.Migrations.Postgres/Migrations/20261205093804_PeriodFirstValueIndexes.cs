using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PeriodFirstValueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValues_UnitId_PeriodId_IndicatorId_Value",
                table: "DataValues");

            migrationBuilder.DropIndex(
                name: "IX_DataValueAudits_UnitId_PeriodId_IndicatorId",
                table: "DataValueAudits");

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_PeriodId_UnitId_IndicatorId_Value",
                table: "DataValues",
                columns: new[] { "PeriodId", "UnitId", "IndicatorId", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_DataValueAudits_PeriodId_UnitId_IndicatorId",
                table: "DataValueAudits",
                columns: new[] { "PeriodId", "UnitId", "IndicatorId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValues_PeriodId_UnitId_IndicatorId_Value",
                table: "DataValues");

            migrationBuilder.DropIndex(
                name: "IX_DataValueAudits_PeriodId_UnitId_IndicatorId",
                table: "DataValueAudits");

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_UnitId_PeriodId_IndicatorId_Value",
                table: "DataValues",
                columns: new[] { "UnitId", "PeriodId", "IndicatorId", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_DataValueAudits_UnitId_PeriodId_IndicatorId",
                table: "DataValueAudits",
                columns: new[] { "UnitId", "PeriodId", "IndicatorId" });
        }
    }
}
