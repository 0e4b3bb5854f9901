-- TPC-DS Q46 (Appendix B.46): weekend store tickets, in three consecutive years, in stores of five cities,
-- of customers with a given dependent or vehicle count who now live in another city than the one of the
-- address on the ticket: coupon amount and net profit per ticket.
-- @param CITIES ['Fairview', 'Midway', 'Fairview', 'Fairview', 'Fairview'] ~ [choice(vocab('store_cities')), choice(vocab('store_cities')), choice(vocab('store_cities')), choice(vocab('store_cities')), choice(vocab('store_cities'))]
-- @param VEHCNT 3 ~ uniform(-1, 4)
-- @param YEAR 1999 ~ uniform(1998, 2000)
-- @param DEPCNT 4 ~ uniform(0, 9)
with weekend_tickets as (
    select
        ss_ticket_number,
        ss_customer_sk,
        ca_city as bought_city,
        sum(ss_coupon_amt) as amt,
        sum(ss_net_profit) as profit
    from store_sales, date_dim, store, household_demographics, customer_address
    where ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and ss_hdemo_sk = hd_demo_sk
      and ss_addr_sk = ca_address_sk
      and (hd_dep_count = ${DEPCNT} or hd_vehicle_count = ${VEHCNT})
      and d_dow in (6, 0)
      and d_year in (${YEAR}, ${YEAR} + 1, ${YEAR} + 2)
      and s_city in (${CITIES})
    group by ss_ticket_number, ss_customer_sk, ss_addr_sk, ca_city
)
select
    c_last_name,
    c_first_name,
    current_addr.ca_city,
    bought_city,
    ss_ticket_number,
    amt,
    profit
from weekend_tickets, customer, customer_address current_addr
where ss_customer_sk = c_customer_sk
  and c_current_addr_sk = current_addr.ca_address_sk
  and current_addr.ca_city <> bought_city
order by c_last_name, c_first_name, current_addr.ca_city, bought_city, ss_ticket_number
limit 100
