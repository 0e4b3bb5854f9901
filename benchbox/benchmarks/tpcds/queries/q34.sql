-- TPC-DS Q34 (Appendix B.34): customers with given buy potentials and more than 1.2 dependents per
-- vehicle who, in three consecutive years, bought 15 to 20 items on one ticket near the start or end of
-- a month in stores in eight counties.
-- The flag sorts descending with NULLs first: NULLs sort high, as in the kit's _NULLS_LAST answers.
-- @param COUNTIES ['Williamson County', 'Williamson County', 'Williamson County', 'Williamson County', 'Williamson County', 'Williamson County', 'Williamson County', 'Williamson County'] ~ [choice(vocab('store_counties')), choice(vocab('store_counties')), choice(vocab('store_counties')), choice(vocab('store_counties')), choice(vocab('store_counties')), choice(vocab('store_counties')), choice(vocab('store_counties')), choice(vocab('store_counties'))]
-- @param YEAR 1999 ~ uniform(1998, 2000)
-- @param BPTWO 'Unknown' ~ choice(['0-500', 'Unknown', '5001-10000'])
-- @param BPONE '>10000' ~ choice(['1001-5000', '>10000', '501-1000'])
with tickets as (
    select ss_ticket_number, ss_customer_sk, count(*) as cnt
    from store_sales, date_dim, store, household_demographics
    where ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and ss_hdemo_sk = hd_demo_sk
      and (d_dom between 1 and 3 or d_dom between 25 and 28)
      and (hd_buy_potential = '${BPONE}' or hd_buy_potential = '${BPTWO}')
      and hd_vehicle_count > 0
      and hd_dep_count > 1.2 * hd_vehicle_count
      and d_year in (${YEAR}, ${YEAR} + 1, ${YEAR} + 2)
      and s_county in (${COUNTIES})
    group by ss_ticket_number, ss_customer_sk
)
select c_last_name, c_first_name, c_salutation, c_preferred_cust_flag, ss_ticket_number, cnt
from tickets, customer
where ss_customer_sk = c_customer_sk
  and cnt between 15 and 20
order by c_last_name, c_first_name, c_salutation, c_preferred_cust_flag desc nulls first, ss_ticket_number
