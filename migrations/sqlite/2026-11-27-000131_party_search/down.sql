DROP INDEX landlords_role_id;
DROP INDEX party_search_terms_party;
DROP TABLE party_search_terms;
