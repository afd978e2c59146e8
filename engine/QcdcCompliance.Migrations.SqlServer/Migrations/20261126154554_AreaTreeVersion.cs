using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AreaTreeVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DataVersions",
                columns: table => new
                {
                    Name = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataVersions", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "DataVersions",
                columns: new[] { "Name", "Version" },
                values: new object[] { "areas", 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataVersions");
        }
    }
}
