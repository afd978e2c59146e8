using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QcdcCompliance.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OutboxSentFrom : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MessageIdDomain",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SentFrom",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 400,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MessageIdDomain",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "SentFrom",
                table: "OutboxMessages");
        }
    }
}
