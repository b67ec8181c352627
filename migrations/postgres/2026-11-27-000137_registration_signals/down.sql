DROP TABLE registration_signals;
