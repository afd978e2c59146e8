using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace QcdcCompliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class TargetSetsScopedAndDated : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Targets_Code",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_ResolutionId",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Resolutions_Code",
                table: "Resolutions");


























            migrationBuilder.AddColumn<string>(
                name: "Basis",
                table: "Targets",
                type: "nvarchar(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CoverageMillionths",
                table: "Targets",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameEn",
                table: "Targets",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameVi",
                table: "Targets",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RuleName",
                table: "Targets",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Targets",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Resolution");

            migrationBuilder.AddColumn<string>(
                name: "Tags",
                table: "Targets",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "ValidFrom",
                table: "Targets",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ValidTo",
                table: "Targets",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DutiesJson",
                table: "Resolutions",
                type: "nvarchar(max)",
                maxLength: -1,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "FollowsSuccessors",
                table: "Resolutions",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ShortTitle",
                table: "Resolutions",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Outcome",
                table: "Findings",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Short");

            // A target was its own rule before targets could reuse one.
            migrationBuilder.Sql("UPDATE [Targets] SET [RuleName] = [Code]");

            migrationBuilder.CreateIndex(
                name: "IX_Targets_Code",
                table: "Targets",
                column: "Code");

            migrationBuilder.CreateIndex(
                name: "IX_Targets_ResolutionId_Code",
                table: "Targets",
                columns: new[] { "ResolutionId", "Code" });

            migrationBuilder.CreateIndex(
                name: "IX_Resolutions_Code_ScopeAreaCode",
                table: "Resolutions",
                columns: new[] { "Code", "ScopeAreaCode" },
                unique: true,
                filter: "[ScopeAreaCode] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Targets_Code",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_ResolutionId_Code",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Resolutions_Code_ScopeAreaCode",
                table: "Resolutions");

            migrationBuilder.DropColumn(
                name: "Basis",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "CoverageMillionths",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "NameEn",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "NameVi",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "RuleName",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "ValidFrom",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "ValidTo",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "DutiesJson",
                table: "Resolutions");

            migrationBuilder.DropColumn(
                name: "FollowsSuccessors",
                table: "Resolutions");

            migrationBuilder.DropColumn(
                name: "ShortTitle",
                table: "Resolutions");

            migrationBuilder.DropColumn(
                name: "Outcome",
                table: "Findings");

            migrationBuilder.CreateIndex(
                name: "IX_Targets_Code",
                table: "Targets",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Targets_ResolutionId",
                table: "Targets",
                column: "ResolutionId");

            migrationBuilder.CreateIndex(
                name: "IX_Resolutions_Code",
                table: "Resolutions",
                column: "Code",
                unique: true);
        }
    }
}
