-- An account an admin created in the console signs in with the password the admin chose, which the admin knows:
-- until its operator chooses his own, the console shows him nothing but the page that changes it.
alter table operator_account add column must_change_password boolean default false not null;
