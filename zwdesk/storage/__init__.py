"""The only package with SQL: the station database, migrations, one repository per aggregate."""
