-- The language the console speaks to an operator: 'uk' (Ukrainian, the default for new accounts) or 'en'.
alter table operator_account add column language varchar(8) default 'uk' not null;
