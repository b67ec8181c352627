-- One property record per landlord and address: registering the same dwelling twice would split
-- its licences and enforcement history.
CREATE UNIQUE INDEX properties_landlord_address ON properties (landlord_id, postcode, house_number, house_number_addition);
