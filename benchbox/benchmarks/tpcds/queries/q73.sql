-- TPC-DS Q73 (Appendix B.73): customers with store tickets of 1 to 5 items, bought on the first two
-- days of a month in three years in stores of four counties, by households of two buy potentials
-- with more dependents per vehicle than one.
-- @param COUNTY_D 'Orange County' ~ choice(vocab('store_counties'))
-- @param COUNTY_C 'Bronx County' ~ choice(vocab('store_counties'))
-- @param COUNTY_B 'Franklin Parish' ~ choice(vocab('store_counties'))
-- @param COUNTY_A 'Williamson County' ~ choice(vocab('store_counties'))
-- @param YEAR 1999 ~ uniform(1998, 2000)
-- @param BPTWO 'Unknown' ~ choice(['0-500', 'Unknown', '5001-10000'])
-- @param BPONE '>10000' ~ choice(['1001-5000', '>10000', '501-1000'])
with tickets as (
    select ss_ticket_number, ss_customer_sk, count(*) as cnt
    from store_sales, date_dim, store, household_demographics
    where ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and ss_hdemo_sk = hd_demo_sk
      and d_dom between 1 and 2
      and (hd_buy_potential = '${BPONE}' or hd_buy_potential = '${BPTWO}')
      and hd_vehicle_count > 0
      and hd_dep_count > hd_vehicle_count
      and d_year in (${YEAR}, ${YEAR} + 1, ${YEAR} + 2)
      and s_county in ('${COUNTY_A}', '${COUNTY_B}', '${COUNTY_C}', '${COUNTY_D}')
    group by ss_ticket_number, ss_customer_sk
)
select c_last_name, c_first_name, c_salutation, c_preferred_cust_flag, ss_ticket_number, cnt
from tickets, customer
where ss_customer_sk = c_customer_sk
  and cnt between 1 and 5
order by cnt desc, c_last_name
