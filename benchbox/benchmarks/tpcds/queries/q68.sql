-- TPC-DS Q68 (Appendix B.68): per ticket, the extended price, list price and tax of store purchases
-- on the first two days of each month of three years, in stores of two cities, by shoppers of
-- given dependent or vehicle counts who live in another city than where they bought.
-- @param CITIES ['Fairview', 'Midway'] ~ sample(vocab('store_cities'), 2)
-- @param VEHCNT 3 ~ uniform(-1, 4)
-- @param YEAR 1999 ~ uniform(1998, 2000)
-- @param DEPCNT 4 ~ uniform(0, 9)
with tickets as (
    select
        ss_ticket_number,
        ss_customer_sk,
        ca_city as bought_city,
        sum(ss_ext_sales_price) as extended_price,
        sum(ss_ext_list_price) as list_price,
        sum(ss_ext_tax) as extended_tax
    from store_sales, date_dim, store, household_demographics, customer_address
    where ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and ss_hdemo_sk = hd_demo_sk
      and ss_addr_sk = ca_address_sk
      and d_dom between 1 and 2
      and (hd_dep_count = ${DEPCNT} or hd_vehicle_count = ${VEHCNT})
      and d_year in (${YEAR}, ${YEAR} + 1, ${YEAR} + 2)
      and s_city in (${CITIES})
    group by ss_ticket_number, ss_customer_sk, ss_addr_sk, ca_city
)
select
    c_last_name,
    c_first_name,
    home.ca_city,
    bought_city,
    ss_ticket_number,
    extended_price,
    extended_tax,
    list_price
from tickets, customer, customer_address home
where ss_customer_sk = c_customer_sk
  and c_current_addr_sk = home.ca_address_sk
  and home.ca_city <> bought_city
order by c_last_name, ss_ticket_number
limit 100
